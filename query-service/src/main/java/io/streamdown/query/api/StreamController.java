package io.streamdown.query.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live updates of one group: {@code text/event-stream} with an event {@code window} (one window
 * entry, as in the {@code windows} response) whenever a window of the group is written, an event
 * {@code removed} ({@code {"start": ...}}) when one is deleted (a session merged away), and a
 * comment every {@code streamdown.query.stream.heartbeat}. Any instance serves any group.
 */
@RestController
@RequestMapping("/api/v1/views")
class StreamController {

  private final QueryApi api;
  private final LiveStreams live;

  StreamController(QueryApi api, LiveStreams live) {
    this.api = api;
    this.live = live;
  }

  @GetMapping("/{view}/stream")
  SseEmitter stream(
      @PathVariable String view,
      @RequestParam MultiValueMap<String, String> params,
      HttpServletRequest request) {
    return live.open(api.streamRequest(view, params), Inbound.of(request));
  }
}
