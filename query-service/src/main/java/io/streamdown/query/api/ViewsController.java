package io.streamdown.query.api;

import io.streamdown.query.cluster.PeerClient;
import io.streamdown.query.cluster.QueryCluster;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The query API: the configured views, a group's windows, their roll-up and the top groups of a
 * window. Query parameters are taken as a whole because the key fields differ per view. Every
 * answer names the instance whose store answered in {@value PeerClient#SERVED_BY}.
 */
@RestController
@RequestMapping("/api/v1/views")
class ViewsController {

  private final QueryApi api;
  private final QueryCluster cluster;

  ViewsController(QueryApi api, QueryCluster cluster) {
    this.api = api;
    this.cluster = cluster;
  }

  @GetMapping
  ResponseEntity<List<ViewResponse>> views() {
    return ResponseEntity.ok()
        .header(PeerClient.SERVED_BY, cluster.self().id())
        .body(api.views());
  }

  @GetMapping("/{view}/windows")
  ResponseEntity<Object> windows(
      @PathVariable String view,
      @RequestParam MultiValueMap<String, String> params,
      HttpServletRequest request) {
    return respond(api.windows(view, params, Inbound.of(request)));
  }

  @GetMapping("/{view}/rollup")
  ResponseEntity<Object> rollup(
      @PathVariable String view,
      @RequestParam MultiValueMap<String, String> params,
      HttpServletRequest request) {
    return respond(api.rollup(view, params, Inbound.of(request)));
  }

  @GetMapping("/{view}/top")
  ResponseEntity<Object> top(
      @PathVariable String view,
      @RequestParam MultiValueMap<String, String> params,
      HttpServletRequest request) {
    return respond(api.top(view, params, Inbound.of(request)));
  }

  private static ResponseEntity<Object> respond(Answer answer) {
    return ResponseEntity.ok()
        .header(PeerClient.SERVED_BY, answer.servedBy())
        .contentType(MediaType.APPLICATION_JSON)
        .body(answer.body());
  }
}
