using System.CommandLine;

namespace SecureUpdate.Cli;

/// <summary>One or two typical command lines per command, shown at the end of its <c>--help</c>.</summary>
internal static class HelpExamples
{
    private static readonly Dictionary<string, string[]> s_examples = new(StringComparer.Ordinal)
    {
        ["keygen"] =
        [
            "secure-update keygen --out keys --name release",
            "secure-update keygen --out keys --name release --encrypt",
        ],
        ["release"] =
        [
            "secure-update release --feed feed --app demo --version 1.2.0 --input build --key keys/release.key",
            "secure-update release --feed feed --app demo --version 1.3.0 --input build --key keys/release.key --rollout 10",
        ],
        ["apply"] =
        [
            "secure-update apply --feed https://updates.example.com/feed --trust release.pub --target /opt/demo --app demo",
            "secure-update apply --feed https://updates.example.com/feed --trust release.pub --target /opt/demo --health-check './bin/demo --self-test'",
            "secure-update apply --feed https://updates.example.com/feed --feed https://mirror.example.org/feed --trust release.pub --target /opt/demo",
        ],
        ["verify"] =
        [
            "secure-update verify --target /opt/demo --trust release.pub",
            "secure-update verify --target-file /usr/local/bin/tool --trust release.pub --json",
        ],
        ["status"] =
        [
            "secure-update status --target /opt/demo",
            "secure-update status --target-file /usr/local/bin/tool --json",
        ],
        ["swap"] =
        [
            "secure-update swap --target /opt/demo --wait-pid 4242 --restart './bin/demo &'",
            "secure-update swap --target /opt/demo --health-check './bin/demo --self-test' --health-timeout 2m",
        ],
        ["rollback"] =
        [
            "secure-update rollback --target /opt/demo",
            "secure-update rollback --target-file /usr/local/bin/tool --trust release.pub",
        ],
        ["rollout"] =
        [
            "secure-update rollout --feed feed --app demo --percent 50 --key keys/release.key",
        ],
        ["events"] =
        [
            "secure-update events --target /opt/demo",
            "secure-update events --target /opt/demo --verify --json",
        ],
        ["sign"] =
        [
            "secure-update sign --key keys/alice.key draft/demo/stable/manifests/1.2.0.json",
            "secure-update sign --key keys/alice.key draft/demo/stable/channel.json",
        ],
        ["sign-binary"] =
        [
            "secure-update sign-binary --key keys/release.key build/demo",
            "secure-update sign-binary --key keys/alice.key --key keys/bob.key build/demo --json",
        ],
        ["verify-binary"] =
        [
            "secure-update verify-binary --trust keys/release.pub build/demo",
            "secure-update verify-binary --trust trust.json /usr/local/bin/demo --json",
        ],
        ["run"] =
        [
            "secure-update run --trust keys/release.pub /usr/local/bin/demo",
            "secure-update run --trust trust.json /usr/local/bin/demo -- --port 8080",
            "secure-update run --trust trust.json /opt/demo/current/bin/demo   # inside a target: checked against its signed manifest",
            "secure-update run --trust trust.json --in-memory /srv/shared/demo",
        ],
        ["publish"] =
        [
            "secure-update publish --feed feed --draft draft",
        ],
        ["trust init"] =
        [
            "secure-update trust init --out root-1.json --root-key keys/root.pub --release-key keys/release.pub",
        ],
        ["trust publish"] =
        [
            "secure-update trust publish --feed feed root-2.json",
        ],
        ["trust show"] =
        [
            "secure-update trust show --target /opt/demo",
            "secure-update trust show --feed feed",
        ],
    };

    /// <summary>The examples of <paramref name="command"/> (by its name, with its parent's for a subcommand), or none.</summary>
    public static IReadOnlyList<string> For(Command command)
    {
        var parent = command.Parents.OfType<Command>().FirstOrDefault(p => p is not RootCommand);
        var key = parent is null ? command.Name : $"{parent.Name} {command.Name}";
        return s_examples.TryGetValue(key, out var examples) ? examples : [];
    }
}
