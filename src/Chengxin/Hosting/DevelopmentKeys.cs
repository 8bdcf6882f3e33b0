using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chengxin.Hosting;

/// <summary>
/// Creates <c>data/keys.json</c> on a development machine's first run, readable only by its owner, and
/// adds any key a newer version needs to an existing file (never replacing one: data depends on them).
/// </summary>
public static class DevelopmentKeys
{
    public const string FileName = "data/keys.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void EnsureFile(string contentRoot)
    {
        var path = Path.Combine(contentRoot, FileName);
        var generated = JsonSerializer.SerializeToNode(KeysOptions.Generate())!.AsObject();
        if (File.Exists(path))
        {
            var existing = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var keys = existing["Keys"]!.AsObject();
            var missing = generated.Where(g => !keys.ContainsKey(g.Key)).Select(g => g.Key).ToList();
            if (missing.Count == 0)
            {
                return;
            }
            foreach (var name in missing)
            {
                keys[name] = generated[name]!.DeepClone();
            }
            File.WriteAllText(path, existing.ToJsonString(Indented));
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var json = new JsonObject { ["Keys"] = generated }.ToJsonString(Indented);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(json);
    }
}
