using LeadScoring.Storage.Registry;

namespace LeadScoring.Cli;

/// <summary>Recognises refusals from the registry (not found, conflict, invalid request).</summary>
internal static class RegistryErrors
{
    public static bool IsRefusal(Exception e, out string message)
    {
        if (e is RegistryException registry)
        {
            message = registry.Message;
            return true;
        }

        message = "";
        return false;
    }
}
