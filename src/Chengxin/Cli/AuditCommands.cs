using System.CommandLine;
using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Crypto;

namespace Chengxin.Cli;

/// <summary>The checkpoints another party keeps: the public keys, and each signed (length, head) pair.</summary>
public sealed record CheckpointExport(IReadOnlyList<ExportedKey> Keys, IReadOnlyList<ExportedCheckpoint> Checkpoints);

public sealed record ExportedKey(string Algorithm, string KeyId, string PublicKey);

public sealed record ExportedCheckpoint(long Sequence, string Head, DateTimeOffset At, string Signature);

/// <summary><c>chengxin audit verify|checkpoint|export</c>.</summary>
public static class AuditCommands
{
    public static Command Create()
    {
        var kept = new Option<FileInfo?>("--checkpoints") { Description = "Checkpoints kept outside the database (from `audit export`), checked too." };
        var verify = new Command("verify", "Walk the audit chain against its signed checkpoints; names the first bad entry. Exit 0 intact, 1 tampered.") { kept };
        verify.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var external = parse.GetValue(kept) is { } file ? Read(file) : [];
            var report = await services.GetRequiredService<AuditVerification>().VerifyAsync(external, ct);
            if (!report.Intact)
            {
                Console.WriteLine($"TAMPERED at entry {report.FirstBadSequence}: {report.Problem}");
                return 1;
            }
            Console.WriteLine($"Intact: {report.EntriesChecked} entries, {report.CheckpointsChecked} signed checkpoints verified; {report.UnsignedTail} entries after the last checkpoint.");
            return 0;
        }, cancellationToken));

        var checkpoint = new Command("checkpoint", "Sign the chain's current head now (the platform also does it every N entries or T seconds).");
        checkpoint.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var signed = await services.GetRequiredService<AuditCheckpoints>().SignHeadAsync(ct);
            Console.WriteLine(signed is null ? "Nothing new to sign." : $"Signed entry {signed.Sequence}: {signed.Signature[..Math.Min(40, signed.Signature.Length)]}…");
            return 0;
        }, cancellationToken));

        var output = new Option<FileInfo>("--out") { Description = "Where to write the checkpoints and public keys (JSON).", Required = true };
        var export = new Command("export", "Write every signed checkpoint with the public keys, for another party to keep and verify against.") { output };
        export.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var (checkpoints, keys) = await services.GetRequiredService<AuditVerification>().ExportAsync(ct);
            var document = new CheckpointExport(
                [.. keys.Select(k => new ExportedKey(k.Algorithm, k.KeyId, Convert.ToBase64String(k.PublicKey)))],
                [.. checkpoints.Select(c => new ExportedCheckpoint(c.Sequence, Convert.ToHexStringLower(c.Head), c.At, c.Signature))]);
            await File.WriteAllTextAsync(parse.GetValue(output)!.FullName, JsonSerializer.Serialize(document, PlatformCommand.Json), ct);
            Console.WriteLine($"Wrote {checkpoints.Count} checkpoints to {parse.GetValue(output)!.FullName}.");
            return 0;
        }, cancellationToken));
        return new Command("audit", "The tamper-evident audit log.") { verify, checkpoint, export };
    }

    /// <summary>Reads an export; its signatures are checked against the platform's keys, never against keys in the file.</summary>
    public static IReadOnlyList<Checkpoint> Read(FileInfo file)
    {
        var document = JsonSerializer.Deserialize<CheckpointExport>(File.ReadAllText(file.FullName), PlatformCommand.Json)
            ?? throw new JsonException("The checkpoint file is empty.");
        return [.. document.Checkpoints.Select(c => new Checkpoint(c.Sequence, Convert.FromHexString(c.Head), c.At,
            SignatureValue.TryParse(c.Signature, out var signature) ? signature : throw new JsonException($"Checkpoint {c.Sequence} has an unreadable signature.")))];
    }
}
