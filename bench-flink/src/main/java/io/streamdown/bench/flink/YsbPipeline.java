package io.streamdown.bench.flink;

import java.time.Duration;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The YSB pipeline on Flink's DataStream API, the same as Streamdown's {@code ysb} view: events
 * joined with their ad's campaign (broadcast state, {@link CampaignJoin}), keyed by (event type,
 * campaign), counted in tumbling 10 s event-time windows. Sources are the caller's, so the job
 * reads Kafka and the tests read in-memory data through the same operators.
 */
public final class YsbPipeline {

  /** Streamdown's {@code ysb} view: {@code window.size=10s}. */
  public static final Duration WINDOW = Duration.ofSeconds(10);

  /** Streamdown's {@code ysb} view: {@code grace=30s}, the same allowance for disorder. */
  public static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

  /** Accumulator: events that entered the pipeline. */
  public static final String EVENTS = "events";

  /** Accumulator: wall clock (epoch ms) of the first event any parallel instance saw. */
  public static final String FIRST_EVENT_MILLIS = "first-event-millis";

  /** Accumulator: reference records read (each once, before they are broadcast). */
  public static final String REFERENCES = "references";

  /**
   * Accumulator: events whose ad had no campaign when the reference side had ended (the join drops
   * them, as Streamdown's view skips events without a campaign).
   */
  public static final String UNJOINED = "unjoined-events";

  /** Accumulator: joined events that reached their window after it had fired (dropped as late). */
  public static final String LATE = "late-events";

  private static final OutputTag<CampaignEvent> LATE_EVENTS =
      new OutputTag<>("late-events", TypeInformation.of(CampaignEvent.class));

  private YsbPipeline() {}

  /**
   * Event time from the event, per Kafka partition when used at the source.
   *
   * <p>No idleness: the job reads a bounded backlog, in which every partition ends and so stops
   * holding the watermark back by itself. With idleness, a source reader stalled longer than the
   * timeout (a loaded machine, a late split assignment) counts as idle, so the other reader's
   * end-of-input watermark passes through and closes every window; the stalled reader's events
   * then arrive late and are dropped (seen once in a test run: part of the first window missing).
   */
  public static WatermarkStrategy<AdEvent> eventWatermarks() {
    return WatermarkStrategy.<AdEvent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
        .withTimestampAssigner((event, recordTimestamp) -> event.eventTime);
  }

  /**
   * The YSB counts of {@code events} (timestamped, with watermarks) joined with {@code references}
   * (a bounded stream of every ad's campaign, no watermarks until it ends).
   *
   * <p>What the job read and what it dropped are counted in accumulators ({@link #REFERENCES},
   * {@link #UNJOINED}, {@link #LATE}), so a count that differs from the offline one says where the
   * events went.
   */
  public static DataStream<WindowCount> counts(
      DataStream<AdEvent> events, DataStream<AdCampaign> references) {
    SingleOutputStreamOperator<WindowCount> counts =
        events
            .map(new Meter())
            .name("meter")
            .keyBy(event -> event.adId, Types.STRING)
            .connect(
                references
                    .map(new Tally<AdCampaign>(REFERENCES))
                    .name("count references")
                    .broadcast(CampaignJoin.CAMPAIGNS))
            .process(new CampaignJoin())
            .name("join campaign")
            .keyBy(
                event -> Tuple2.of(event.eventType, event.campaignId),
                Types.TUPLE(Types.STRING, Types.STRING))
            .window(TumblingEventTimeWindows.of(WINDOW))
            .sideOutputLateData(LATE_EVENTS)
            .aggregate(new Count(), new EmitCell())
            .name("count per window");
    counts
        .getSideOutput(LATE_EVENTS)
        .map(new Tally<CampaignEvent>(LATE))
        .name("count late events")
        .sinkTo(new DiscardingSink<>())
        .name("drop late events");
    return counts;
  }

  /** Passes records on and counts them in the accumulator {@code name}. */
  static class Tally<T> extends RichMapFunction<T, T> {
    private final String name;
    private transient LongCounter count;

    Tally(String name) {
      this.name = name;
    }

    @Override
    public void open(OpenContext openContext) {
      count = new LongCounter();
      getRuntimeContext().addAccumulator(name, count);
    }

    @Override
    public T map(T record) {
      count.add(1L);
      return record;
    }
  }

  /** Counts the events ({@link #EVENTS}) and notes when the first one arrived. */
  static final class Meter extends Tally<AdEvent> {
    private transient LongMinimum first;
    private transient boolean seen;

    Meter() {
      super(EVENTS);
    }

    @Override
    public void open(OpenContext openContext) {
      super.open(openContext);
      first = new LongMinimum();
      getRuntimeContext().addAccumulator(FIRST_EVENT_MILLIS, first);
    }

    @Override
    public AdEvent map(AdEvent event) {
      if (!seen) {
        seen = true;
        first.add(System.currentTimeMillis());
      }
      return super.map(event);
    }
  }

  /** The count of a window, incrementally. */
  static final class Count implements AggregateFunction<CampaignEvent, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(CampaignEvent event, Long count) {
      return count + 1;
    }

    @Override
    public Long getResult(Long count) {
      return count;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  /** Adds the window start and the key to the count. */
  static final class EmitCell
      extends ProcessWindowFunction<Long, WindowCount, Tuple2<String, String>, TimeWindow> {
    @Override
    public void process(
        Tuple2<String, String> key,
        Context context,
        Iterable<Long> counts,
        Collector<WindowCount> out) {
      out.collect(
          new WindowCount(context.window().getStart(), key.f0, key.f1, counts.iterator().next()));
    }
  }
}
