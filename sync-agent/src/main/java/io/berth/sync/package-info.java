/**
 * The sync agent: replication of images between this Berth and other registries, through the
 * registry API only. It depends on cache-store (registry endpoints, the upstream client, the event
 * outbox, labels) and never on the gateway.
 *
 * <ul>
 *   <li>{@link io.berth.sync.policy} holds replication policies: their model, validation, storage and
 *       how a source repository is named at the destination;</li>
 *   <li>{@link io.berth.sync.filter} holds the filters a policy selects what to copy with: repository
 *       names and tags by glob, labels, and platforms of index children.</li>
 * </ul>
 */
package io.berth.sync;
