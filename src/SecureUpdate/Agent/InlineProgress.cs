namespace SecureUpdate.Agent;

/// <summary>Reports progress synchronously on the reporting thread (unlike <see cref="Progress{T}"/>, which posts to a context).</summary>
internal sealed class InlineProgress : IProgress<UpdateProgress>
{
    private readonly Action<UpdateProgress> _report;

    public InlineProgress(Action<UpdateProgress> report) => _report = report;

    public void Report(UpdateProgress value) => _report(value);
}
