using System.Text.Json;

namespace Chengxin.Hosting;

/// <summary>Creates <c>data/keys.json</c> on a development machine's first run, readable only by its owner.</summary>
public static class DevelopmentKeys
{
    public const string FileName = "data/keys.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void EnsureFile(string contentRoot)
    {
        var path = Path.Combine(contentRoot, FileName);
        if (File.Exists(path))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var json = JsonSerializer.Serialize(new { Keys = KeysOptions.Generate() }, Indented);
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
