package io.streamdown.query.api;

import java.util.List;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The query API: the configured views, a group's windows, their roll-up and the top groups of a
 * window. Query parameters are taken as a whole because the key fields differ per view.
 */
@RestController
@RequestMapping("/api/v1/views")
class ViewsController {

  private final QueryApi api;

  ViewsController(QueryApi api) {
    this.api = api;
  }

  @GetMapping
  List<ViewResponse> views() {
    return api.views();
  }

  @GetMapping("/{view}/windows")
  WindowsResponse windows(
      @PathVariable String view, @RequestParam MultiValueMap<String, String> params) {
    return api.windows(view, params);
  }

  @GetMapping("/{view}/rollup")
  RollupResponse rollup(
      @PathVariable String view, @RequestParam MultiValueMap<String, String> params) {
    return api.rollup(view, params);
  }

  @GetMapping("/{view}/top")
  TopResponse top(@PathVariable String view, @RequestParam MultiValueMap<String, String> params) {
    return api.top(view, params);
  }
}
