using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>
/// A strict validator of the JSON Schema subset the Api's OpenAPI 3.1 document uses: $ref (into the same document),
/// type, enum, required, properties, additionalProperties, items, anyOf, oneOf, pattern, minLength, maxLength and the
/// formats uuid, date-time, int32 and int64. A keyword it does not know is an error, never silently passed, so the
/// document cannot outgrow what the scenario tests check. Lengths count code points, as JSON Schema does.
/// </summary>
public static class JsonSchemaSubset
{
    // RFC 3339's date-time: a time zone offset is not optional.
    private static readonly Regex RfcDateTime = new(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", RegexOptions.CultureInvariant);

    private static readonly HashSet<string> Annotations = ["description", "title", "default", "example", "examples", "deprecated", "readOnly", "writeOnly"];

    /// <summary>What is wrong with <paramref name="instance"/> against <paramref name="schema"/> (empty when it conforms).</summary>
    /// <param name="document">The document $refs resolve in (#/components/schemas/…).</param>
    public static List<string> Validate(JsonElement document, JsonElement schema, JsonElement instance)
    {
        var errors = new List<string>();
        Check(document, schema, instance, "$", errors);
        return errors;
    }

    private static void Check(JsonElement document, JsonElement schema, JsonElement instance, string at, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new NotSupportedException($"Schema at {at} is {schema.ValueKind}, not an object or true.");
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case "$ref":
                    Check(document, Resolve(document, value.GetString()!), instance, at, errors);
                    break;
                case "type":
                    var types = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(type => type.GetString()!).ToArray() : [value.GetString()!];
                    if (!types.Any(type => IsOfType(instance, type)))
                    {
                        errors.Add($"{at}: {Describe(instance)} is not of type {string.Join(" or ", types)}");
                    }

                    break;
                case "enum":
                    if (!value.EnumerateArray().Any(allowed => JsonElement.DeepEquals(allowed, instance)))
                    {
                        errors.Add($"{at}: {Describe(instance)} is not one of {value.GetRawText()}");
                    }

                    break;
                case "required" when instance.ValueKind == JsonValueKind.Object:
                    foreach (var name in value.EnumerateArray().Select(name => name.GetString()!).Where(name => !instance.TryGetProperty(name, out _)))
                    {
                        errors.Add($"{at}: required property '{name}' is missing");
                    }

                    break;
                case "properties" when instance.ValueKind == JsonValueKind.Object:
                    foreach (var property in instance.EnumerateObject())
                    {
                        if (value.TryGetProperty(property.Name, out var propertySchema))
                        {
                            Check(document, propertySchema, property.Value, $"{at}.{property.Name}", errors);
                        }
                    }

                    break;
                case "additionalProperties" when instance.ValueKind == JsonValueKind.Object:
                    var declared = schema.TryGetProperty("properties", out var properties) ? properties : default;
                    foreach (var property in instance.EnumerateObject().Where(property => declared.ValueKind != JsonValueKind.Object || !declared.TryGetProperty(property.Name, out _)))
                    {
                        if (value.ValueKind == JsonValueKind.False)
                        {
                            errors.Add($"{at}: property '{property.Name}' is not declared");
                        }
                        else
                        {
                            Check(document, value, property.Value, $"{at}.{property.Name}", errors);
                        }
                    }

                    break;
                case "items" when instance.ValueKind == JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in instance.EnumerateArray())
                    {
                        Check(document, value, item, $"{at}[{index++}]", errors);
                    }

                    break;
                case "anyOf" or "oneOf":
                    var matching = value.EnumerateArray().Count(option => Validate(document, option, instance).Count == 0);
                    if (matching == 0 || (keyword.Name == "oneOf" && matching > 1))
                    {
                        errors.Add($"{at}: {Describe(instance)} matches {matching} of the {keyword.Name} schemas {value.GetRawText()}");
                    }

                    break;
                case "pattern" when instance.ValueKind == JsonValueKind.String:
                    if (!Regex.IsMatch(instance.GetString()!, value.GetString()!))
                    {
                        errors.Add($"{at}: {Describe(instance)} does not match {value.GetString()}");
                    }

                    break;
                case "minLength" when instance.ValueKind == JsonValueKind.String:
                    if (instance.GetString()!.EnumerateRunes().Count() < value.GetInt32())
                    {
                        errors.Add($"{at}: shorter than {value.GetInt32()}");
                    }

                    break;
                case "maxLength" when instance.ValueKind == JsonValueKind.String:
                    if (instance.GetString()!.EnumerateRunes().Count() > value.GetInt32())
                    {
                        errors.Add($"{at}: longer than {value.GetInt32()}");
                    }

                    break;
                case "format":
                    if (!HasFormat(instance, value.GetString()!))
                    {
                        errors.Add($"{at}: {Describe(instance)} is not a {value.GetString()}");
                    }

                    break;
                case "required" or "properties" or "additionalProperties" or "items" or "pattern" or "minLength" or "maxLength":
                    break; // applies to another kind of value than this one
                case var annotation when Annotations.Contains(annotation):
                    break;
                default:
                    throw new NotSupportedException($"Schema keyword '{keyword.Name}' at {at} is not checked by this validator; teach it before the document uses it.");
            }
        }
    }

    private static JsonElement Resolve(JsonElement document, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only references into the same document are supported, not '{reference}'.");
        }

        var target = document;
        foreach (var segment in reference[2..].Split('/'))
        {
            if (!target.TryGetProperty(segment.Replace("~1", "/").Replace("~0", "~"), out target))
            {
                throw new InvalidOperationException($"The document has no '{reference}'.");
            }
        }

        return target;
    }

    private static bool IsOfType(JsonElement instance, string type) => type switch
    {
        "null" => instance.ValueKind == JsonValueKind.Null,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && decimal.TryParse(instance.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number),
        _ => throw new NotSupportedException($"Unknown type '{type}'."),
    };

    // A format applies to the kind of value it describes; null (allowed by a type list) is not checked against it.
    private static bool HasFormat(JsonElement instance, string format) => (format, instance.ValueKind) switch
    {
        (_, JsonValueKind.Null) => true,
        ("uuid", JsonValueKind.String) => Guid.TryParseExact(instance.GetString(), "D", out _),
        ("date-time", JsonValueKind.String) => RfcDateTime.Match(instance.GetString()!).Success
            && DateTimeOffset.TryParse(instance.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        ("int32", JsonValueKind.Number) => instance.TryGetInt32(out _),
        ("int64", JsonValueKind.Number) => instance.TryGetInt64(out _),
        ("double", JsonValueKind.Number) => true,
        ("uuid" or "date-time", _) or ("int32" or "int64" or "double", JsonValueKind.String) => true, // the type keyword reports the wrong kind
        _ => throw new NotSupportedException($"Format '{format}' is not checked by this validator."),
    };

    private static string Describe(JsonElement instance)
    {
        var text = instance.GetRawText();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
