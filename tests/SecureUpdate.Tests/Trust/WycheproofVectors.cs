using System.Text.Json;

namespace SecureUpdate.Tests.Trust;

/// <summary>
/// Loads the Wycheproof Ed25519 vectors from <c>../shared/testdata/wycheproof</c> beside the
/// repository root. A missing or unreadable file is an error, never a skip.
/// </summary>
internal static class WycheproofVectors
{
    /// <summary>Number of cases in the pinned file (README beside it).</summary>
    public const int ExpectedCount = 151;

    private static readonly Lazy<(string Path, int DeclaredCount, IReadOnlyList<WycheproofVector> Vectors)> s_loaded = new(Load);

    public static IReadOnlyList<WycheproofVector> All => s_loaded.Value.Vectors;

    /// <summary>The <c>numberOfTests</c> the file declares about itself.</summary>
    public static int DeclaredCount => s_loaded.Value.DeclaredCount;

    public static string FilePath => s_loaded.Value.Path;

    public static WycheproofVector Get(int tcId) =>
        All.SingleOrDefault(v => v.TcId == tcId) ?? throw new InvalidOperationException($"No Wycheproof vector with tcId {tcId} in {FilePath}.");

    private static (string Path, int DeclaredCount, IReadOnlyList<WycheproofVector> Vectors) Load()
    {
        string path = LocateFile();
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = document.RootElement;

        string algorithm = root.GetProperty("algorithm").GetString() ?? string.Empty;
        if (algorithm != "EDDSA")
        {
            throw new InvalidOperationException($"{path} holds '{algorithm}' vectors, not EDDSA.");
        }

        var vectors = new List<WycheproofVector>();
        foreach (JsonElement group in root.GetProperty("testGroups").EnumerateArray())
        {
            JsonElement key = group.GetProperty("publicKey");
            string curve = key.GetProperty("curve").GetString() ?? string.Empty;
            if (curve != "edwards25519")
            {
                throw new InvalidOperationException($"{path} has a test group for curve '{curve}'.");
            }

            byte[] publicKey = Convert.FromHexString(key.GetProperty("pk").GetString() ?? string.Empty);
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                vectors.Add(new WycheproofVector(
                    test.GetProperty("tcId").GetInt32(),
                    publicKey,
                    Convert.FromHexString(test.GetProperty("msg").GetString() ?? string.Empty),
                    Convert.FromHexString(test.GetProperty("sig").GetString() ?? string.Empty),
                    test.GetProperty("result").GetString() ?? string.Empty,
                    test.GetProperty("comment").GetString() ?? string.Empty,
                    test.GetProperty("flags").EnumerateArray().Select(f => f.GetString() ?? string.Empty).ToArray()));
            }
        }

        return (path, root.GetProperty("numberOfTests").GetInt32(), vectors);
    }

    private static string LocateFile()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SecureUpdate.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"No folder holding SecureUpdate.sln above {AppContext.BaseDirectory}; cannot find the Wycheproof vectors.");
        }

        string path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "testdata", "wycheproof", "ed25519_test.json"));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Wycheproof Ed25519 vectors are missing: expected {path} (../shared/testdata/wycheproof/ed25519_test.json beside the repository root). These tests never skip.", path);
        }

        return path;
    }
}
