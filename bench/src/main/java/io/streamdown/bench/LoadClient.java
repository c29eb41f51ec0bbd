package io.streamdown.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load generator's HTTP/1.1 client: up to {@code connections} kept-alive connections to one
 * server, one request at a time on each, requests beyond that queued in order until a connection
 * is free.
 *
 * <p>Why not the JDK's {@code HttpClient}, which the harness uses for everything that is not load:
 * measured beside wrk on the same stack, it spent several times the server's CPU per request (its
 * selector thread, executor hand-offs and per-exchange futures), so on two shared cores the
 * client, not the server under test, set the rate. This one runs every connection on one Netty
 * event-loop thread, and all of its state is confined to that thread, so it takes no locks.
 */
public final class LoadClient implements AutoCloseable {

  /** What a server answered: the status and the value of one header the caller asked for. */
  public record Answer(int status, String header) {}

  private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("exchange");

  private final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final Bootstrap bootstrap;
  private final String host;
  private final int connections;
  private final String authorization;
  private final String answerHeader;
  private final Duration timeout;

  // Confined to the event loop.
  private final ArrayDeque<Channel> idle = new ArrayDeque<>();
  private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
  private int open;

  /** One request and whoever waits for its answer. */
  private record Exchange(
      HttpMethod method, String pathAndQuery, byte[] body, CompletableFuture<Answer> answer) {}

  /**
   * @param base the server, {@code http://host:port}
   * @param connections at most this many connections, opened as they are needed
   * @param authorization the {@code Authorization} value to send, or null
   * @param answerHeader the response header each {@link Answer} carries, or null
   * @param timeout how long one request may take, from the moment it is written
   */
  public LoadClient(
      URI base, int connections, String authorization, String answerHeader, Duration timeout) {
    if (!"http".equals(base.getScheme()) || base.getPort() < 0) {
      throw new IllegalArgumentException("needs http://host:port, got " + base);
    }
    this.host = base.getHost() + ":" + base.getPort();
    this.connections = connections;
    this.authorization = authorization;
    this.answerHeader = answerHeader;
    this.timeout = timeout;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .remoteAddress(base.getHost(), base.getPort())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(16 * 1024 * 1024))
                        .addLast(new AnswerHandler());
                  }
                });
  }

  /** POSTs a JSON body. */
  public CompletableFuture<Answer> post(String path, String json) {
    return send(HttpMethod.POST, path, json.getBytes(StandardCharsets.UTF_8));
  }

  /** GETs a path with its query string. */
  public CompletableFuture<Answer> get(String pathAndQuery) {
    return send(HttpMethod.GET, pathAndQuery, null);
  }

  private CompletableFuture<Answer> send(HttpMethod method, String path, byte[] body) {
    Exchange exchange = new Exchange(method, path, body, new CompletableFuture<>());
    if (loop.inEventLoop()) {
      dispatch(exchange);
    } else {
      loop.execute(() -> dispatch(exchange));
    }
    return exchange.answer();
  }

  private void dispatch(Exchange exchange) {
    Channel channel;
    while ((channel = idle.pollLast()) != null) {
      if (channel.isActive()) {
        write(channel, exchange);
        return;
      }
    }
    if (open < connections) {
      connect(exchange);
    } else {
      waiting.addLast(exchange);
    }
  }

  private void connect(Exchange exchange) {
    open++;
    bootstrap
        .connect()
        .addListener(
            (ChannelFuture connected) -> {
              if (connected.isSuccess()) {
                write(connected.channel(), exchange);
              } else {
                open--;
                exchange.answer().completeExceptionally(connected.cause());
                // The next one tries again (and fails the same way while the server is down).
                connectForWaiting();
              }
            });
  }

  /** Opens a connection for the first waiting request, if there is one and room for it. */
  private void connectForWaiting() {
    if (!waiting.isEmpty() && open < connections) {
      connect(waiting.pollFirst());
    }
  }

  private void write(Channel channel, Exchange exchange) {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            exchange.method(),
            exchange.pathAndQuery(),
            exchange.body() == null
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(exchange.body()));
    request.headers().set(HttpHeaderNames.HOST, host);
    if (exchange.body() != null) {
      request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    HttpUtil.setContentLength(request, exchange.body() == null ? 0 : exchange.body().length);
    if (authorization != null) {
      request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
    }
    channel.attr(EXCHANGE).set(exchange);
    ScheduledFuture<?> deadline =
        loop.schedule(
            () -> {
              if (channel.attr(EXCHANGE).get() == exchange) {
                fail(
                    channel,
                    new TimeoutException("no answer within " + timeout.toMillis() + " ms"));
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    exchange.answer().whenComplete((answer, error) -> deadline.cancel(false));
    channel
        .writeAndFlush(request)
        .addListener(
            (ChannelFuture written) -> {
              if (!written.isSuccess()) {
                fail(channel, written.cause());
              }
            });
  }

  /** Fails the channel's exchange and closes it; {@code channelInactive} does the accounting. */
  private void fail(Channel channel, Throwable cause) {
    Exchange exchange = channel.attr(EXCHANGE).getAndSet(null);
    if (exchange != null) {
      exchange.answer().completeExceptionally(cause);
    }
    channel.close();
  }

  /** Hands a free connection the next waiting request, or parks it. */
  private void release(Channel channel) {
    Exchange next = waiting.pollFirst();
    if (next != null) {
      write(channel, next);
    } else {
      idle.addLast(channel);
    }
  }

  private final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
      Channel channel = context.channel();
      Exchange exchange = channel.attr(EXCHANGE).getAndSet(null);
      if (exchange == null) {
        // An answer nobody asked for (the request timed out): the connection is out of step.
        channel.close();
        return;
      }
      String header = answerHeader == null ? null : response.headers().get(answerHeader);
      boolean keepAlive = HttpUtil.isKeepAlive(response);
      exchange.answer().complete(new Answer(response.status().code(), header));
      if (keepAlive) {
        release(channel);
      } else {
        channel.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      open--;
      Channel channel = context.channel();
      idle.remove(channel);
      Exchange exchange = channel.attr(EXCHANGE).getAndSet(null);
      if (exchange != null) {
        exchange.answer().completeExceptionally(new IOException("connection closed"));
      }
      // Requests queued for a connection that is gone get a new one.
      connectForWaiting();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      fail(context.channel(), cause);
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
