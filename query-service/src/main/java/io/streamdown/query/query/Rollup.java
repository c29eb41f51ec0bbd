package io.streamdown.query.query;

import io.streamdown.schemas.WindowAggregate;

/**
 * One group's windows of a range merged into one aggregate.
 *
 * @param windows how many windows were merged
 * @param total the merged aggregate, null when the range has no window
 */
public record Rollup(int windows, WindowAggregate total) {}
