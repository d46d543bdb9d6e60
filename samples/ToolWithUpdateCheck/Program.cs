// A command-line tool, published as one executable, that updates itself from a signed feed with
// the SecureUpdate package: `tool --version`, `tool self-update --feed URL --trust FILE [--app ID]`.
// The new file is verified beside the old one and renamed over it (fine while it runs, on Linux).
using ToolWithUpdateCheck;

return args switch
{
    ["--version"] => ToolCommands.PrintVersion(),
    ["self-update", .. var rest] => await ToolCommands.SelfUpdateAsync(rest),
    _ => ToolCommands.PrintUsage(),
};
