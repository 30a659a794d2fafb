package dev.archivist.bench.memory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * fabric8's plain item store, counting the changes the informer makes to it. The informer writes
 * its store on the watch thread, before it queues the matching notification for the handlers, so
 * {@code changes - handled} is how many notifications wait in the informer's queue: the quantity
 * the naive design lets grow.
 */
final class CountingItemStore<V extends HasMetadata> implements ItemStore<V> {
  private final BasicItemStore<V> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final AtomicLong changes = new AtomicLong();

  long changes() {
    return changes.get();
  }

  @Override
  public String getKey(V obj) {
    return delegate.getKey(obj);
  }

  @Override
  public V put(String key, V obj) {
    changes.incrementAndGet();
    return delegate.put(key, obj);
  }

  @Override
  public V remove(String key) {
    changes.incrementAndGet();
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<V> values() {
    return delegate.values();
  }

  @Override
  public V get(String key) {
    return delegate.get(key);
  }

  @Override
  public int size() {
    return delegate.size();
  }
}
