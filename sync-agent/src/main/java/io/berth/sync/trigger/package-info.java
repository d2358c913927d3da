/**
 * What starts replication executions besides a person: schedules ({@link io.berth.sync.trigger.PolicySchedules},
 * cluster-safe on db-scheduler), events at this Berth ({@link io.berth.sync.trigger.ReplicationEventConsumer},
 * with its own durable cursor) and the periodic reconcile of event-based policies. Triggers are recorded in the
 * database ({@link io.berth.sync.trigger.TriggerStore}) and started by the {@link io.berth.sync.trigger.Dispatcher},
 * one execution per policy at a time: what fires while one is active is folded into the next.
 */
package io.berth.sync.trigger;
