package io.berth.gateway.http;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.RejectedExecutionException;

/** Running work on a connection's event loop from wherever one is. */
final class EventLoops {
    private EventLoops() {
    }

    /**
     * Runs {@code task} on {@code loop}: at once when already there, else queued to it. When the
     * loop has stopped (the server is closing), runs {@code ifStopped} instead, on this thread.
     */
    static void run(EventExecutor loop, Runnable task, Runnable ifStopped) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            ifStopped.run();
        }
    }
}
