package io.berth.gateway.http;

import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.mirror.Mirrors;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every connection of one server shares.
 *
 * @param router       finds each request's route
 * @param accessCheck  decides from each head whether the request may go on
 * @param mirrors      routes the reads of routes that read through mirrors, before the access check
 * @param blocking     runs work that may block (virtual threads)
 * @param budget       the memory request bodies may hold together
 * @param sendBuffers  the memory large file responses may hold together
 * @param metrics      where the server's metrics go
 * @param tls          whether connections are TLS (files are then not sent zero-copy)
 * @param maxSmallBody the most a body collected whole may hold (the manifest size limit)
 * @param bodyTimeout  see {@link BodyTimer}, in nanoseconds
 * @param draining     set when the server is closing: connections finish their request and close
 */
record ServerContext(Router router, AccessCheck accessCheck, Mirrors mirrors, Executor blocking, BodyBudget budget,
                     SendBuffers sendBuffers, GatewayMetrics metrics, boolean tls, long maxSmallBody, long bodyTimeout, AtomicBoolean draining) {
}
