namespace LeadScoring.Server.Errors;

/// <summary>
/// A client error in one named field (a header, a query parameter, the body): answered by
/// <see cref="ProblemExceptionHandler"/> as a validation problem with <see cref="StatusCode"/> (400 unless said otherwise).
/// </summary>
public sealed class InvalidRequestException : Exception
{
    public InvalidRequestException(string field, string message, string title = "Invalid request", int statusCode = StatusCodes.Status400BadRequest)
        : base(message)
    {
        Field = field;
        Title = title;
        StatusCode = statusCode;
    }

    public InvalidRequestException()
        : this("request", "the request is not valid")
    {
    }

    public InvalidRequestException(string message)
        : this("request", message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "request";
        Title = "Invalid request";
        StatusCode = StatusCodes.Status400BadRequest;
    }

    /// <summary>The field at fault, as the caller names it (e.g. <c>X-Actor</c>, <c>reason</c>, <c>body</c>).</summary>
    public string Field { get; }

    /// <summary>The problem's title.</summary>
    public string Title { get; }

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; }
}
