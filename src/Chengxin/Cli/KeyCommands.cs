using System.CommandLine;
using System.Security.Cryptography;
using Chengxin.Audit;
using Chengxin.Crypto;
using Chengxin.Hosting;
using Chengxin.Keys;

namespace Chengxin.Cli;

/// <summary><c>chengxin keys generate|rotate</c>.</summary>
public static class KeyCommands
{
    public static Command Create()
    {
        var algorithm = new Option<string>("--algorithm") { Description = "aes-256-gcm (default) or sm4-gcm for a data key; hmac-sha256 or hmac-sm3 for an index key; ed25519, ecdsa-p256 or sm2 for an audit key.", DefaultValueFactory = _ => "aes-256-gcm" };
        var kind = new Argument<string>("kind") { Description = "data, index or audit." };
        kind.AcceptOnlyFromAmong("data", "index", "audit");
        var generate = new Command("generate", "Print a new key in the form configuration takes; the platform never stores it.") { kind, algorithm };
        generate.SetAction(parse =>
        {
            var name = parse.GetValue(algorithm)!;
            switch (parse.GetValue(kind))
            {
                case "data" when AlgorithmNames.TryParseCipher(name, out var cipher):
                    var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(cipher.KeyBytes()));
                    Console.WriteLine(cipher == CipherAlgorithm.Aes256Gcm ? key : $"{cipher.Name()}:{key}");
                    return 0;
                case "index" when AlgorithmNames.TryParseIndex(name is "aes-256-gcm" ? "hmac-sha256" : name, out var mac):
                    Console.WriteLine($"{(mac == IndexAlgorithm.HmacSha256 ? "hmac-sha256" : "hmac-sm3")}:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}");
                    return 0;
                case "audit" when SigningKey.Algorithms.Contains(name is "aes-256-gcm" ? SigningKey.Ed25519 : name):
                    Console.WriteLine(KeysOptions.GenerateAuditSigning(name is "aes-256-gcm" ? SigningKey.Ed25519 : name, $"a{DateTime.UtcNow:yyyyMMdd}"));
                    return 0;
                default:
                    return PlatformCommand.Fail([$"'{name}' is not an algorithm for a {parse.GetValue(kind)} key."]);
            }
        });

        var batch = new Option<int>("--batch") { Description = "Subjects per transaction.", DefaultValueFactory = _ => 500 };
        var rotate = new Command("rotate", "Re-encrypt every subject, stored report and session key under Keys:Current and rewrite the index (and authorisations) under Keys:IndexId, while the platform serves. Safe to stop and run again.") { batch };
        rotate.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var rotation = services.GetRequiredService<KeyRotation>();
            var remaining = await rotation.RemainingAsync(ct);
            Console.Error.WriteLine($"{remaining} subjects to rewrite.");
            var done = await rotation.RunAsync(Actors.CommandLine, Math.Clamp(parse.GetValue(batch), 1, 10_000),
                new Progress<RotationProgress>(p => Console.Error.WriteLine($"  {p.Rewritten} rewritten, {p.Remaining} left")), ct);
            var summary = $"{done.Rewritten} values rewritten ({done.Reports} reports re-encrypted, {done.Authorisations} authorisations moved to the new index), " +
                $"{done.SessionKeys} session keys put under the current data key";
            if (done.Remaining > 0 || done.Unlinked > 0 || done.UnreadableReports > 0)
            {
                Console.WriteLine($"Rotation incomplete: {summary}.");
                if (done.Remaining > 0)
                {
                    Console.WriteLine($"  {done.Remaining} subjects are registered twice and keep the old keys until merged (their ids are in the log). Keep the old keys.");
                }
                if (done.UnreadableReports > 0)
                {
                    Console.WriteLine($"  {done.UnreadableReports} stored reports cannot be decrypted with the keys configured (damaged, or under a key no longer held; their numbers are in the log). They keep their old key.");
                }
                if (done.Unlinked > 0)
                {
                    Console.WriteLine($"  {done.Unlinked} authorisations in force were registered for people not yet on the platform and are matched by the old index key. Keep the old index key until they end.");
                }
                return 1;
            }
            Console.WriteLine($"Rotation complete: {summary}; every subject, report and authorisation is under the current keys. Old keys may now be removed from configuration.");
            return 0;
        }, cancellationToken));
        return new Command("keys", "Data, index and audit keys: generate new ones, rotate to them.") { generate, rotate };
    }
}
