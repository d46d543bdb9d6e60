using System.Runtime.InteropServices;
using System.Text;

namespace SecureUpdate.Platform;

/// <summary>
/// A PKCS#11 module (a shared library such as <c>libsofthsm2.so</c>), loaded and initialised, called
/// through its function list with unmanaged function pointers: no delegates, no marshalling
/// reflection, so it works the same in the NativeAOT executable. A module's state is process-wide,
/// so the instances of one library share a count: the first initialises it (<c>C_Initialize</c>, with
/// OS locking), the last one disposed finalises it (<c>C_Finalize</c>); a module that something else
/// in the process had already initialised is never finalised here.
/// </summary>
internal sealed unsafe class Pkcs11Module : IDisposable
{
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<nint, (nint Functions, int Users, bool Finalize)> s_loaded = [];

    private readonly nint _library;
    private Pkcs11FunctionList* _functions;

    private Pkcs11Module(nint library, Pkcs11FunctionList* functions)
    {
        _library = library;
        _functions = functions;
    }

    /// <summary>Loads and initialises the module at <paramref name="path"/>.</summary>
    /// <exception cref="Pkcs11Exception">It cannot be loaded, is not a PKCS#11 module, or does not initialise.</exception>
    public static Pkcs11Module Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            // CK_ULONG is 32 bits there and the structures are packed: another binding.
            throw new Pkcs11Exception("PKCS#11 modules are supported on Linux and macOS only", null);
        }

        nint library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or ArgumentException)
        {
            throw new Pkcs11Exception(LoaderReason(ex.Message), ex);
        }

        try
        {
            lock (s_gate)
            {
                if (!s_loaded.TryGetValue(library, out var entry))
                {
                    if (!NativeLibrary.TryGetExport(library, "C_GetFunctionList", out var getFunctionList))
                    {
                        throw new Pkcs11Exception("it does not export C_GetFunctionList, so it is not a PKCS#11 module", null);
                    }

                    Pkcs11FunctionList* list = null;
                    Check("C_GetFunctionList", ((delegate* unmanaged<Pkcs11FunctionList**, nuint>)getFunctionList)(&list));
                    if (list is null)
                    {
                        throw new Pkcs11Exception("C_GetFunctionList returned no function list", null);
                    }

                    var arguments = new Pkcs11InitializeArgs { Flags = Pkcs11Constants.OsLockingOk };
                    var initialized = list->C_Initialize(&arguments);
                    if (initialized != Pkcs11Constants.Ok && initialized != Pkcs11Constants.CryptokiAlreadyInitialized)
                    {
                        throw new Pkcs11Exception("C_Initialize", initialized);
                    }

                    entry = ((nint)list, 0, initialized == Pkcs11Constants.Ok);
                }

                s_loaded[library] = entry with { Users = entry.Users + 1 };
                return new Pkcs11Module(library, (Pkcs11FunctionList*)entry.Functions);
            }
        }
        catch
        {
            NativeLibrary.Free(library);
            throw;
        }
    }

    /// <summary>The slot holding the token labelled <paramref name="label"/>, or null when no present token has that label.</summary>
    /// <exception cref="Pkcs11Exception">The module failed.</exception>
    public nuint? FindToken(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var functions = Functions;
        nuint count = 0;
        Check("C_GetSlotList", functions->C_GetSlotList(1, null, &count));
        var slots = new nuint[count];
        if (count > 0)
        {
            fixed (nuint* pointer = slots)
            {
                Check("C_GetSlotList", functions->C_GetSlotList(1, pointer, &count));
            }
        }

        foreach (var slot in slots.AsSpan(0, (int)Math.Min(count, (nuint)slots.Length)))
        {
            Pkcs11TokenInfo info;
            var result = functions->C_GetTokenInfo(slot, &info);
            if (result != Pkcs11Constants.Ok)
            {
                continue; // A token removed or not recognised since the list was taken.
            }

            var text = Encoding.UTF8.GetString(new ReadOnlySpan<byte>(info.Label, 32)).TrimEnd(' ', '\0');
            if (string.Equals(text, label, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return null;
    }

    /// <summary>Opens a session on the token in <paramref name="slot"/>.</summary>
    /// <exception cref="Pkcs11Exception">The module failed.</exception>
    public Pkcs11Session OpenSession(nuint slot, bool readWrite)
    {
        var functions = Functions;
        nuint session = 0;
        var flags = Pkcs11Constants.SerialSession | (readWrite ? Pkcs11Constants.ReadWriteSession : 0);
        Check("C_OpenSession", functions->C_OpenSession(slot, flags, null, null, &session));
        return new Pkcs11Session(functions, session);
    }

    /// <summary>Finalises the module when this is its last user in the process, and unloads this reference to it.</summary>
    public void Dispose()
    {
        if (_functions is null)
        {
            return;
        }

        var functions = _functions;
        _functions = null;
        lock (s_gate)
        {
            var entry = s_loaded[_library];
            if (entry.Users > 1)
            {
                s_loaded[_library] = entry with { Users = entry.Users - 1 };
            }
            else
            {
                s_loaded.Remove(_library);
                if (entry.Finalize)
                {
                    _ = functions->C_Finalize(null);
                }
            }
        }

        NativeLibrary.Free(_library);
    }

    /// <summary>Throws unless <paramref name="returnValue"/> is <c>CKR_OK</c>.</summary>
    internal static void Check(string function, nuint returnValue)
    {
        if (returnValue != Pkcs11Constants.Ok)
        {
            throw new Pkcs11Exception(function, returnValue);
        }
    }

    /// <summary>The loader's own words (dlerror, the last line of the runtime's message), without the runtime's advice around them.</summary>
    private static string LoaderReason(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 ? lines[^1] : message;
    }

    private Pkcs11FunctionList* Functions
    {
        get
        {
            ObjectDisposedException.ThrowIf(_functions is null, this);
            return _functions;
        }
    }
}
