/**
 * Durable, ordered registry events: the events seam of the design.
 *
 * <ul>
 *   <li>{@link io.berth.store.event.Outbox} appends events in the transaction of the push, tag
 *       move or delete they record (and explains why their ids are commit-ordered);</li>
 *   <li>{@link io.berth.store.event.PullRecorder} counts manifest pulls off the request path and
 *       writes them, coalesced, about once a second;</li>
 *   <li>{@link io.berth.store.event.EventConsumers} runs each {@link io.berth.store.event.EventConsumer}
 *       after its durable cursor, at least once, one instance at a time;</li>
 *   <li>{@link io.berth.store.event.EventLog} reads the log, and
 *       {@link io.berth.store.event.EventRetention} deletes what is older than the retention.</li>
 * </ul>
 */
package io.berth.store.event;
