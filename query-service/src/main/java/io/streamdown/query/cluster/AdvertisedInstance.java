package io.streamdown.query.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * This instance's address as the other instances reach it, and as Kafka Streams spreads it in
 * the group metadata ({@code application.server}). It is derived here, from
 * {@code streamdown.query.advertised-host} (else {@code server.address} unless it is a wildcard,
 * else {@code localhost}) and the port the HTTP server really bound, so launchers pass nothing
 * extra and a random test port works. The web server starts in an earlier lifecycle phase than
 * the Streams client, so the setting is in place before the client is created.
 */
@Component
public class AdvertisedInstance implements ApplicationListener<WebServerInitializedEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(AdvertisedInstance.class);

  private final Environment environment;
  private final ObjectProvider<StreamsBuilderFactoryBean> factoryBean;
  private volatile Instance instance;

  public AdvertisedInstance(
      Environment environment, ObjectProvider<StreamsBuilderFactoryBean> factoryBean) {
    this.environment = environment;
    this.factoryBean = factoryBean;
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (event.getApplicationContext().getServerNamespace() != null) {
      return; // the management server
    }
    Instance self = new Instance(host(environment), event.getWebServer().getPort());
    instance = self;
    StreamsBuilderFactoryBean streams = factoryBean.getIfAvailable();
    if (streams != null && !streams.isRunning()) {
      Properties config = streams.getStreamsConfiguration();
      if (config != null) {
        config.setProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, self.id());
        streams.setStreamsConfiguration(config);
      }
    }
    LOG.info("This query instance is {} (application.server)", self.id());
  }

  /** This instance; before the HTTP server is up, what the settings promise. */
  public Instance get() {
    Instance self = instance;
    return self != null
        ? self
        : new Instance(host(environment), environment.getProperty("server.port", Integer.class, 0));
  }

  static String host(Environment environment) {
    String advertised = environment.getProperty("streamdown.query.advertised-host");
    if (advertised != null && !advertised.isBlank()) {
      return advertised.trim();
    }
    String address = environment.getProperty("server.address");
    if (address != null && !address.isBlank() && !wildcard(address.trim())) {
      return address.trim();
    }
    return "localhost";
  }

  private static boolean wildcard(String address) {
    try {
      return InetAddress.getByName(address).isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
