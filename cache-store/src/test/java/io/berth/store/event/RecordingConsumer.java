package io.berth.store.event;

import java.util.ArrayList;
import java.util.List;

/** A consumer that keeps every batch it is handed, then runs the test's hook (which may throw or block). */
class RecordingConsumer implements EventConsumer {
    interface Hook {
        void onBatch(List<RegistryEvent> batch) throws Exception;
    }

    private final String name;
    private final Start start;
    private final List<List<RegistryEvent>> batches = new ArrayList<>();
    volatile Hook hook = batch -> { };

    RecordingConsumer(String name, Start start) {
        this.name = name;
        this.start = start;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Start start() {
        return start;
    }

    @Override
    public void accept(List<RegistryEvent> batch) throws Exception {
        synchronized (this) {
            batches.add(List.copyOf(batch));
        }
        hook.onBatch(batch);
    }

    /** Every batch handed over so far, failed ones included. */
    synchronized List<List<RegistryEvent>> batches() {
        return List.copyOf(batches);
    }

    /** The ids of every event handed over so far, in order, repeats included. */
    synchronized List<Long> ids() {
        return batches.stream().flatMap(List::stream).map(RegistryEvent::id).toList();
    }
}
