// A minimal static file server for trying a feed on loopback: a feed is only files, so any
// web server works (nginx, a CDN, object storage). This one serves FOLDER on 127.0.0.1.
// Usage: StaticFeedServer FOLDER [PORT_FILE]   (writes the bound URL to PORT_FILE when ready)
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

if (args.Length < 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: StaticFeedServer FOLDER [URL_FILE]");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
var app = builder.Build();
app.UseStaticFiles(new StaticFileOptions
{
    FileProvider = new PhysicalFileProvider(Path.GetFullPath(args[0])),
    ServeUnknownFileTypes = true,
    DefaultContentType = "application/octet-stream",
    ContentTypeProvider = new FileExtensionContentTypeProvider(),
});

await app.StartAsync();
var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
if (args.Length > 1)
{
    await File.WriteAllTextAsync(args[1], url);
}

Console.WriteLine($"Serving {args[0]} at {url}");
await app.WaitForShutdownAsync();
return 0;
