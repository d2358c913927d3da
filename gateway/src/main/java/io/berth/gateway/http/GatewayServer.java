package io.berth.gateway.http;

import io.berth.gateway.GatewayConfig;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.mirror.Mirrors;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Netty server of the registry endpoint. Event loops only parse, route and write; every
 * database call, file operation that may wait and digest computation runs on virtual threads.
 * Uses the native epoll transport when it is available (zero-copy {@code sendfile} either way).
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /** How long closing waits for each step past the grace period: event loops, the last blocking work. */
    private static final long STOP_SECONDS = 5;

    private final GatewayConfig config;
    private final ServerContext context;
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("berth-blocking-", 0).factory());
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    /** The open client connections (a closed channel leaves the group by itself). */
    private final ChannelGroup connections = new DefaultChannelGroup("berth-registry", GlobalEventExecutor.INSTANCE);

    /**
     * @param access decides, from each request's head, whether it may go on and as whom
     */
    public GatewayServer(GatewayConfig config, List<Route> routes, AccessCheck access, GatewayMetrics metrics) {
        this(config, routes, access, Mirrors.none(), metrics);
    }

    /**
     * @param access  decides, from each request's head, whether it may go on and as whom
     * @param mirrors where reads are served from when clients name no project (mirror modes)
     */
    public GatewayServer(GatewayConfig config, List<Route> routes, AccessCheck access, Mirrors mirrors,
                         GatewayMetrics metrics) {
        this.config = config;
        long memory = config.bodyMemory() > 0 ? config.bodyMemory() : BodyBudget.defaultCapacity();
        if (config.maxManifestSize() > memory / 2) {
            throw new IllegalArgumentException("body memory (" + memory + " bytes) must hold two manifests of the"
                    + " largest size (" + config.maxManifestSize() + " bytes): raise bodyMemory or lower maxManifestSize");
        }
        BodyBudget budget = BodyBudget.of(memory, config.maxManifestSize());
        metrics.bodyMemory(budget);
        this.context = new ServerContext(new Router(routes), access, mirrors, blocking, budget, SendBuffers.ofDefaultSize(),
                metrics, config.tls(),
                config.maxManifestSize(), config.bodyTimeout().toNanos(), new AtomicBoolean());
    }

    /** A server that lets everyone in and whose metrics go nowhere. */
    public GatewayServer(GatewayConfig config, List<Route> routes) {
        this(config, routes, AccessCheck.allowAll(), GatewayMetrics.discarding());
    }

    public void start() throws InterruptedException, SSLException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        workerGroup = new MultiThreadIoEventLoopGroup(0, io);
        SslContext ssl = config.tls()
                ? SslContextBuilder.forServer(config.tlsCertFile().toFile(), config.tlsKeyFile().toFile()).build()
                : null;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Uploads read on credit for one read from the body memory budget: cap what one read takes.
                .childOption(ChannelOption.RECVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(64, 2048, BodyBudget.READ_SIZE))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        p.addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(8192)
                                .setMaxHeaderSize(config.maxHeaderSize())
                                .setMaxChunkSize(1 << 20)));
                        p.addLast("dispatch", new RequestDispatcher(context));
                    }
                });
        serverChannel = bootstrap.bind(new InetSocketAddress(config.bindHost(), config.port())).sync().channel();
        LOG.debug("registry socket bound to {} ({}, {} transport)", serverChannel.localAddress(),
                ssl != null ? "TLS" : "plain HTTP", epoll ? "epoll" : "nio");
    }

    /** The port actually bound (useful when the configured port was 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The memory large file responses share, for tests that take it all. */
    SendBuffers sendBuffers() {
        return context.sendBuffers();
    }

    /** The open client connections, for tests that look at socket state. */
    ChannelGroup connections() {
        return connections;
    }

    /**
     * Stops the server without cutting requests short: stops accepting, closes idle connections,
     * lets requests in progress finish (their answers say {@code Connection: close}) for up to the
     * configured grace period, then closes what is left, stops the event loops, and waits for the
     * blocking work still running. Returns only then, so whatever the requests used (the database)
     * may be closed next. Every wait is bounded.
     */
    @Override
    public void close() {
        long graceNanos = config.shutdownGrace().toNanos();
        context.draining().set(true);
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(STOP_SECONDS, TimeUnit.SECONDS);
            connections.forEach(ch -> ch.pipeline().fireUserEventTriggered(RequestDispatcher.DRAIN));
            if (!connections.newCloseFuture().awaitUninterruptibly(graceNanos, TimeUnit.NANOSECONDS)) {
                LOG.warn("closing {} registry connections with requests still in progress after {} s", connections.size(),
                        config.shutdownGrace().toSeconds());
            }
            connections.close().awaitUninterruptibly(STOP_SECONDS, TimeUnit.SECONDS);
        }
        if (bossGroup != null) {
            // An event loop that misses its shutdown wakeup (seen once, idle in epoll_wait after
            // hours of traffic) must not keep the process from stopping.
            Future<?> boss = bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            Future<?> workers = workerGroup.shutdownGracefully(0, STOP_SECONDS, TimeUnit.SECONDS);
            if (!boss.awaitUninterruptibly(2 * STOP_SECONDS, TimeUnit.SECONDS)
                    || !workers.awaitUninterruptibly(2 * STOP_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("registry event loops did not stop within {} s; shutting down without them", 2 * STOP_SECONDS);
            }
        }
        stopBlockingWork();
    }

    /** Blocking work can outlive its connection (a handler's database call): wait for it, boundedly. */
    private void stopBlockingWork() {
        blocking.shutdown();
        try {
            if (!blocking.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("blocking work of the registry still runs after {} s; interrupting it", STOP_SECONDS);
                blocking.shutdownNow();
                // The database closes after this returns: give interrupted work a moment to leave it.
                if (!blocking.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("blocking work of the registry ignored its interruption; stopping without it");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            blocking.shutdownNow();
        }
    }
}
