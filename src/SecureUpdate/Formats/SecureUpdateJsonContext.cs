using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureUpdate.Formats;

/// <summary>
/// Source-generated, strict JSON for every document: unknown members, duplicate properties,
/// missing required members, nulls where none are allowed, comments and trailing commas are all refused.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    MaxDepth = 16,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(PublicKeyDocument))]
[JsonSerializable(typeof(PrivateKeyDocument))]
[JsonSerializable(typeof(EncryptedPrivateKeyDocument))]
[JsonSerializable(typeof(Pkcs11KeyDocument))]
[JsonSerializable(typeof(TrustDocument))]
[JsonSerializable(typeof(RootDocument))]
[JsonSerializable(typeof(SignatureEnvelope))]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(ChannelPointerDocument))]
[JsonSerializable(typeof(StateDocument))]
[JsonSerializable(typeof(JournalDocument))]
[JsonSerializable(typeof(EventDocument))]
[JsonSerializable(typeof(LegacyEventDocument))]
[JsonSerializable(typeof(EventsHeadDocument))]
[JsonSerializable(typeof(AllowlistDocument))]
[JsonSerializable(typeof(PartialDownloadDocument))]
internal sealed partial class SecureUpdateJsonContext : JsonSerializerContext
{
}
