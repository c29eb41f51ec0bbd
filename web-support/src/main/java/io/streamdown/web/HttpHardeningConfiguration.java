package io.streamdown.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What makes hostile requests cheap to refuse and uniform to read: the {@link
 * RequestFirewallFilter} ahead of every other filter, and the servlet container's error answers as
 * problem documents ({@link ProblemErrorController} for {@code /error}, {@link
 * ProblemErrorReportValve} for what Tomcat refuses before any servlet runs).
 */
@Configuration(proxyBeanMethods = false)
public class HttpHardeningConfiguration {

  /** Before the API keys: an ambiguous path must not be matched against the scope rules. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

  @Bean
  FilterRegistrationBean<RequestFirewallFilter> requestFirewallFilter() {
    FilterRegistrationBean<RequestFirewallFilter> registration =
        new FilterRegistrationBean<>(new RequestFirewallFilter());
    registration.setName("requestFirewallFilter");
    registration.setOrder(ORDER);
    return registration;
  }

  @Bean
  ProblemErrorController problemErrorController() {
    return new ProblemErrorController();
  }

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
              }
            });
  }
}
