package io.streamdown.enrich.streams;

/** Counts the outcomes the topology reports, for assertions. */
final class RecordingEnrichListener implements EnrichListener {

  int matched;
  int unmatched;
  int duplicates;
  int held;
  int fromMemory;
  int fromStore;

  @Override
  public void matched() {
    matched++;
  }

  @Override
  public void unmatched() {
    unmatched++;
  }

  @Override
  public void duplicate() {
    duplicates++;
  }

  @Override
  public void held() {
    held++;
  }

  @Override
  public void referenceFromMemory() {
    fromMemory++;
  }

  @Override
  public void referenceFromStore() {
    fromStore++;
  }
}
