import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Personalised messages per second on one core for a compiled campaign: the figure `facteur bench compose`
/// reports. Renders round-robin over `subscribers` on the calling thread.
public enum ComposeBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var messages: Int
        public var seconds: Double
        public var bytes: Int
        /// Heap in use after the run minus before (glibc mallinfo2), per message: ~0 means nothing leaks or
        /// accumulates; nil where mallinfo2 is unavailable.
        public var retainedHeapBytesPerMessage: Double?
        /// Heap allocations made while rendering, per message: counted only when the process runs with
        /// scripts/lib/alloc-counter.c preloaded (scripts/bench-compose.sh); nil otherwise.
        public var allocations: AllocationCount?
        public var compileSeconds: Double
        /// CPU time of the rendering thread: the per-core figure even on a busy machine.
        public var cpuSeconds: Double

        public var messagesPerSecond: Double { Double(messages) / seconds }
        public var messagesPerCPUSecond: Double { Double(messages) / cpuSeconds }

        public var description: String {
            let heap = retainedHeapBytesPerMessage.map { String(format: ", retained heap %.1f B/msg", $0) } ?? ""
            let allocated = allocations.map {
                String(format: ", allocated %.0f B/msg in %.1f allocations/msg",
                       Double($0.bytes) / Double(max(messages, 1)), Double($0.calls) / Double(max(messages, 1)))
            } ?? ", allocations not counted (run under scripts/bench-compose.sh)"
            return String(format: "compose: %d messages in %.3f s wall / %.3f s CPU = %.0f msg/s wall, %.0f msg per CPU-second (one core), %.1f KB/msg, compile %.1f ms%@%@",
                          messages, seconds, cpuSeconds, messagesPerSecond, messagesPerCPUSecond,
                          Double(bytes) / Double(max(messages, 1)) / 1024, compileSeconds * 1000, heap, allocated)
        }
    }

    public struct AllocationCount: Sendable {
        public var calls: UInt64
        public var bytes: UInt64
    }

    /// Compiles `content` once, then renders for `duration` (at least `minimumMessages`).
    public static func run(content: CampaignContent, settings: ComposeSettings, subscribers: [SubscriberFields],
                           tracking: LinkTrackIDs, duration: Double = 3, minimumMessages: Int = 1000) throws -> Result {
        let compileStart = DispatchTime.now().uptimeNanoseconds
        let compiled = try CompiledCampaign.compile(content, settings: settings)
        let compileSeconds = Double(DispatchTime.now().uptimeNanoseconds - compileStart) / 1e9
        return try run(compiled: compiled, compileSeconds: compileSeconds, subscribers: subscribers,
                       tracking: tracking, duration: duration, minimumMessages: minimumMessages)
    }

    /// Renders an already compiled campaign for `duration` (at least `minimumMessages`).
    public static func run(compiled: CompiledCampaign, compileSeconds: Double, subscribers: [SubscriberFields],
                           tracking: LinkTrackIDs, duration: Double = 3, minimumMessages: Int = 1000) throws -> Result {
        precondition(!subscribers.isEmpty, "the benchmark needs at least one subscriber")
        // Warm up.
        for s in subscribers.prefix(100) { _ = try compiled.render(for: s, tracking: tracking) }
        let heapBefore = heapInUse()
        let allocationsBefore = allocationCount()
        let cpuStart = threadCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        var count = 0
        var bytes = 0
        var elapsed = 0.0
        let now = Date()
        while elapsed < duration || count < minimumMessages {
            for _ in 0..<256 {
                let m = try compiled.render(for: subscribers[count % subscribers.count], tracking: tracking, date: now)
                bytes += m.bytes.count
                count += 1
            }
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let cpu = threadCPUSeconds() - cpuStart
        let allocationsAfter = allocationCount()
        let heapAfter = heapInUse()
        let retained = heapBefore.flatMap { b in heapAfter.map { Double($0 - b) / Double(count) } }
        let allocations = allocationsBefore.flatMap { b in
            allocationsAfter.map { AllocationCount(calls: $0.calls - b.calls, bytes: $0.bytes - b.bytes) }
        }
        return Result(messages: count, seconds: elapsed, bytes: bytes, retainedHeapBytesPerMessage: retained,
                      allocations: allocations, compileSeconds: compileSeconds, cpuSeconds: cpu)
    }

    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Totals from scripts/lib/alloc-counter.c when it is preloaded. The counters are process-wide, so the
    /// figure includes any other thread's allocations during the run; the benchmark runs alone for that reason.
    static func allocationCount() -> AllocationCount? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "facteur_alloc_counters") else { return nil }
        typealias Counters = @convention(c) (UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<UInt64>) -> Void
        var calls: UInt64 = 0
        var bytes: UInt64 = 0
        unsafeBitCast(symbol, to: Counters.self)(&calls, &bytes)
        return AllocationCount(calls: calls, bytes: bytes)
        #else
        return nil
        #endif
    }

    /// glibc's mallinfo2().uordblks (bytes in use). Swift's Glibc module does not export mallinfo2, so it is
    /// looked up with dlsym; on x86-64 a struct this size is returned through a caller-provided buffer passed
    /// as the hidden first argument (SysV sret), which is what the call below does. Other platforms: nil.
    static func heapInUse() -> Int? {
        #if canImport(Glibc) && arch(x86_64)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallinfo2") else { return nil }
        typealias MallInfo2 = @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer
        let call = unsafeBitCast(symbol, to: MallInfo2.self)
        var fields = [Int](repeating: 0, count: 10)   // arena … keepcost, all size_t
        fields.withUnsafeMutableBytes { _ = call($0.baseAddress!) }
        return fields[7]   // uordblks
        #else
        return nil
        #endif
    }
}
