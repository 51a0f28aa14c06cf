package ansatz.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Peak Java heap in use while a workload runs, from garbage-collection notifications.
 *
 * <p>Heap occupancy only grows between collections, so its maximum is reached just before some
 * collection (or at the end): the peak is the largest "used before GC" summed over the heap pools,
 * or the usage at {@link #stop()}, whichever is larger. That is the heap the workload actually
 * filled, garbage included, so it depends on how large the collector lets the young generation
 * grow. The live peak (largest "used after GC") is what the workload needed to keep.
 */
public final class HeapMonitor implements AutoCloseable {
  private final Set<String> heapPools = new HashSet<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;
  private final AtomicInteger notifications = new AtomicInteger();
  private volatile long peakBeforeGc;
  private volatile long peakAfterGc;
  private long peakBytes = -1;
  private long liveBytes = -1;

  /** Starts listening; call {@link #stop()} when the workload is done. */
  public HeapMonitor start() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) heapPools.add(p.getName());
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
    return this;
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
    synchronized (this) {
      peakBeforeGc = Math.max(peakBeforeGc, heapUsed(info.getMemoryUsageBeforeGc()));
      peakAfterGc = Math.max(peakAfterGc, heapUsed(info.getMemoryUsageAfterGc()));
    }
    notifications.incrementAndGet();
  }

  private long heapUsed(Map<String, MemoryUsage> usage) {
    long sum = 0;
    for (var e : usage.entrySet()) if (heapPools.contains(e.getKey())) sum += e.getValue().getUsed();
    return sum;
  }

  /** Stops listening and fixes the peaks (includes the heap in use right now). */
  public HeapMonitor stop() {
    long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    // Notifications arrive on another thread shortly after each collection: give the last ones time.
    int seen = notifications.get();
    long deadline = System.nanoTime() + 200_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (notifications.get() == seen) break;
      seen = notifications.get();
    }
    close();
    synchronized (this) {
      peakBytes = Math.max(peakBeforeGc, now);
      liveBytes = peakAfterGc;
    }
    return this;
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (javax.management.ListenerNotFoundException ignored) {
        // already removed
      }
    }
    emitters.clear();
  }

  /** @return peak heap in use (MiB), garbage included; valid after {@link #stop()} */
  public double peakMb() {
    return peakBytes / (1024.0 * 1024.0);
  }

  /** @return largest heap left after a collection (MiB), or 0 if none ran; valid after {@link #stop()} */
  public double liveMb() {
    return liveBytes / (1024.0 * 1024.0);
  }

  /** @return number of collections seen */
  public int collections() {
    return notifications.get();
  }
}
