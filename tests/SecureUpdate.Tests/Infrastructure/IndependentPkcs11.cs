using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Reads a token through Pkcs11Interop, a PKCS#11 stack independent of the library's own binding, so
/// that what the library claims about a key (sensitive, never extractable) is checked by other code.
/// JIT only (the library's binding exists because Pkcs11Interop does not run under NativeAOT). Use it
/// in <see cref="SoftHsmProcess"/> only, while no library code holds the module.
/// </summary>
public static class IndependentPkcs11
{
    private static readonly Lazy<Pkcs11InteropFactories> s_factories = new(() =>
    {
        // Pkcs11Interop imports dlopen from "libdl", which glibc 2.34 and later no longer ships as libdl.so.
        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, ResolveLibdl);
        return new Pkcs11InteropFactories();
    });

    /// <summary>The attributes of every private key labelled <paramref name="keyLabel"/> in the token.</summary>
    public static IReadOnlyList<PrivateKeyAttributes> ReadPrivateKeys(string module, string tokenLabel, string userPin, string keyLabel)
    {
        var factories = s_factories.Value;
        using var library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, module, AppType.MultiThreaded);
        var slot = library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label == tokenLabel);
        using var session = slot.OpenSession(SessionType.ReadOnly);
        session.Login(CKU.CKU_USER, userPin);
        try
        {
            var keys = session.FindAllObjects(
            [
                factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, keyLabel),
            ]);
            return keys.Select(key =>
            {
                var values = session.GetAttributeValue(key, [CKA.CKA_TOKEN, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_NEVER_EXTRACTABLE, CKA.CKA_SIGN, CKA.CKA_KEY_TYPE, CKA.CKA_VALUE]);
                return new PrivateKeyAttributes(
                    Token: values[0].GetValueAsBool(),
                    Sensitive: values[1].GetValueAsBool(),
                    Extractable: values[2].GetValueAsBool(),
                    NeverExtractable: values[3].GetValueAsBool(),
                    Sign: values[4].GetValueAsBool(),
                    KeyType: values[5].GetValueAsUlong(),
                    ValueReadable: !values[6].CannotBeRead);
            }).ToList();
        }
        finally
        {
            session.Logout();
        }
    }

    private static nint ResolveLibdl(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "libdl" && OperatingSystem.IsLinux() ? NativeLibrary.Load("libc.so.6") : 0;
}
