package io.streamdown.enrich.streams;

import io.streamdown.support.DeadLetterListener;
import java.util.ArrayList;
import java.util.List;

/** Records the {@code stage/errorClass} of every dead letter, for assertions. */
final class RecordingDeadLetterListener implements DeadLetterListener {

  final List<String> deadLetters = new ArrayList<>();

  @Override
  public void deadLettered(String stage, String errorClass) {
    deadLetters.add(stage + "/" + errorClass);
  }
}
