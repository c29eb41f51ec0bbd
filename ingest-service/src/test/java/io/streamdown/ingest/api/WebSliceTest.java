package io.streamdown.ingest.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.ingest.config.IngestConfig;
import io.streamdown.ingest.kafka.EventWriter;
import io.streamdown.ingest.service.EventIngestService;
import io.streamdown.ingest.service.ReferenceService;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.when;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The web slice shared by the controller tests: controllers, advice, parsing and services, with the
 * Kafka writer mocked. Limits are small so that each one is reached with a few bytes.
 */
@WebMvcTest(controllers = {EventsController.class, ReferenceController.class})
@Import({
  AcknowledgedAnswer.class,
  IngestConfig.class,
  EventIngestService.class,
  ReferenceService.class,
  SliceMeterRegistry.class
})
@TestPropertySource(
    properties = {
      "streamdown.ingest.limits.max-body-bytes=4KB",
      "streamdown.ingest.limits.max-batch-events=8",
      "streamdown.ingest.limits.max-event-bytes=1KB",
      "streamdown.ingest.retry-after=7s"
    })
abstract class WebSliceTest {

  static final int MAX_BODY_BYTES = 4096;
  static final int MAX_BATCH_EVENTS = 8;
  static final int MAX_EVENT_BYTES = 1024;
  static final String RETRY_AFTER_SECONDS = "7";

  @Autowired MockMvc mvc;

  @Autowired MeterRegistry registry;

  @MockitoBean EventWriter writer;

  /** By default every write is acknowledged at once; a test that wants a failure says so. */
  @BeforeEach
  void acknowledgeWrites() {
    when(writer.writeEvents(anyList())).thenReturn(CompletableFuture.completedFuture(null));
  }

  /**
   * Performs a request. An event POST is an async request answered from the write's completion;
   * the mocked write completes at once, so the answer is there when the request returns.
   */
  ResultActions perform(RequestBuilder request) throws Exception {
    return mvc.perform(request);
  }
}
