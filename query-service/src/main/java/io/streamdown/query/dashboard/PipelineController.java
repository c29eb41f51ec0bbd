package io.streamdown.query.dashboard;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/pipeline}: the health panel of the dashboard. */
@RestController
class PipelineController {

  private final PipelineHealth health;

  PipelineController(PipelineHealth health) {
    this.health = health;
  }

  @GetMapping("/api/v1/pipeline")
  PipelineResponse pipeline() {
    return health.pipeline();
  }
}
