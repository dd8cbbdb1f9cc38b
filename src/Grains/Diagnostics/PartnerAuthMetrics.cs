using System.Diagnostics.Metrics;

namespace JustGold.Grains.Diagnostics;

/// <summary>The product's own instruments, on the meter <c>JustGold.PartnerAuth</c>.</summary>
public sealed class PartnerAuthMetrics : IDisposable
{
    public const string MeterName = "JustGold.PartnerAuth";

    /// <summary>What every process exports on <c>/metrics</c>: the product's meter and Orleans' own.</summary>
    public static IReadOnlyList<string> ExportedMeterNames { get; } = [MeterName, "Microsoft.Orleans"];

    /// <summary>
    /// Orleans instruments that record once per message or per grain call, left out of the export.
    /// Every accepted token is one grain call (two messages), so each of these cost CPU on every
    /// request: about 1 % of the embedded product's samples at full load, on a path whose budget is
    /// the stock handler's. What they would tell is already on <c>/metrics</c>: verifications are
    /// counted and timed by result. An instrument no exporter listens to is never recorded at all.
    /// Orleans' instruments for failures (timed out, rejected, expired, dropped, failed sends), for
    /// membership, activations and directory registrations stay exported.
    /// </summary>
    public static IReadOnlyList<string> UnexportedPerMessageInstruments { get; } =
    [
        "orleans-app-requests-latency",
        "orleans-messaging-sent-local",
        "orleans-messaging-sent-messages-size",
        "orleans-messaging-sent-header-size",
        "orleans-messaging-received-messages-size",
        "orleans-messaging-received-header-size",
        "orleans-messaging-processing-dispatcher-received",
        "orleans-messaging-processing-dispatcher-processed",
        "orleans-messaging-processing-dispatcher-forwarded",
        "orleans-messaging-processing-ima-received",
        "orleans-messaging-processing-ima-enqueued",
        "orleans-messaging-processing-activation-data",
        "orleans-directory-lookups-local-issued",
        "orleans-directory-lookups-local-successes",
        "orleans-directory-lookups-local-directory-issued",
        "orleans-directory-lookups-local-directory-successes",
        "orleans-directory-lookups-cache-issued",
        "orleans-directory-lookups-cache-successes",
        "orleans-directory-lookups-full-issued",
    ];

    private readonly Meter _meter;
    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _verificationDuration;
    private readonly Counter<long> _rechecks;
    private readonly Counter<long> _replayRecordsWritten;
    private readonly Histogram<int> _replayBatchSize;
    private readonly Counter<long> _confirmationsRetried;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _partnerGrainDeactivations;
    private long _activePartnerGrains;

    public PartnerAuthMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _verifications = _meter.CreateCounter<long>("partner_auth.verifications", description: "Token verifications by result code.");
        _verificationDuration = _meter.CreateHistogram<double>("partner_auth.verification.duration", unit: "s",
            description: "Time to verify one token, from header to answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
        _rechecks = _meter.CreateCounter<long>("partner_auth.verification.rechecks",
            description: "Refusals checked a second time because the partner's grain had other keys than this node's copy.");
        _replayRecordsWritten = _meter.CreateCounter<long>("partner_auth.replay_records.written", description: "Accepted jti records made durable.");
        _replayBatchSize = _meter.CreateHistogram<int>("partner_auth.replay_records.batch_size", description: "Records per group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _confirmationsRetried = _meter.CreateCounter<long>("partner_auth.confirmations.retried",
            description: "Confirmation batches sent again after Orleans rejected them before any grain code ran, by rejection.");
        _unavailable = _meter.CreateCounter<long>("partner_auth.unavailable",
            description: "Requests answered 503 service_unavailable, by cause (timeout, silo_unavailable, rejected, storage, other).");
        _partnerGrainDeactivations = _meter.CreateCounter<long>("partner_auth.partner_grains.deactivated",
            description: "Partner grains deactivated on this silo, by reason (ShuttingDown and Migrating are activations that move).");
        _meter.CreateObservableGauge("partner_auth.partner_grains.active", () => Interlocked.Read(ref _activePartnerGrains),
            description: "Partner grains active on this silo.");
    }

    public void Verified(string resultCode, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("result", resultCode);
        _verifications.Add(1, tag);
        _verificationDuration.Record(elapsed.TotalSeconds, tag);
    }

    public void Rechecked() => _rechecks.Add(1);

    public void ReplayBatchWritten(int count)
    {
        _replayRecordsWritten.Add(count);
        _replayBatchSize.Record(count);
    }

    public void ConfirmationRetried(string rejection) =>
        _confirmationsRetried.Add(1, new KeyValuePair<string, object?>("rejection", rejection));

    public void Unavailable(string cause) => _unavailable.Add(1, new KeyValuePair<string, object?>("cause", cause));

    public void PartnerGrainActivated() => Interlocked.Increment(ref _activePartnerGrains);

    public void PartnerGrainDeactivated(string reason)
    {
        Interlocked.Decrement(ref _activePartnerGrains);
        _partnerGrainDeactivations.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void Dispose() => _meter.Dispose();
}
