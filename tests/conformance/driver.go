// Conformance driver for the go-nethttp style: runs one call and prints its outcome as JSON.
// Built once per test session against a generated module (drivers.py replaces SDK_MODULE).
// Usage: driver '<request JSON>' (the request and outcome are those of driver.mjs; option names and
// durations are Python's: max_retries, retry_backoff and timeout in seconds).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"strings"
	"time"

	sdk "SDK_MODULE"
)

type request struct {
	Method         string            `json:"method"`
	Args           []json.RawMessage `json:"args"`
	BaseURL        string            `json:"baseUrl"`
	APIKey         *string           `json:"apiKey"`
	Headers        map[string]string `json:"headers"`
	Params         map[string]any    `json:"params"`
	ClientOptions  map[string]any    `json:"clientOptions"`
	RequestOptions map[string]any    `json:"requestOptions"`
	Mode           string            `json:"mode"`
	LogDebug       bool              `json:"logDebug"`
	CollectUnknown bool              `json:"collectUnknown"`
	Inspect        *string           `json:"inspect"`
}

func options(given map[string]any) []sdk.Option {
	var opts []sdk.Option
	if username, ok := given["username"].(string); ok { // basic auth: WithBasicAuth takes both
		password, _ := given["password"].(string)
		opts = append(opts, sdk.WithBasicAuth(username, password))
	}
	for key, value := range given {
		switch key {
		case "context_timeout": // not an option: the call's context gets this deadline (run does it)
		case "username", "password": // given to WithBasicAuth above
		case "max_retries":
			opts = append(opts, sdk.WithMaxRetries(int(value.(float64))))
		case "retry_backoff":
			opts = append(opts, sdk.WithRetryBackoff(seconds(value)))
		case "timeout":
			opts = append(opts, sdk.WithTimeout(seconds(value)))
		case "idempotency_key":
			opts = append(opts, sdk.WithIdempotencyKey(value.(string)))
		case "idempotency_keys":
			opts = append(opts, sdk.WithIdempotencyKeys(value.(bool)))
		case "strict_responses":
			opts = append(opts, sdk.WithStrictResponses(value.(bool)))
		default:
			panic("unknown option " + key)
		}
	}
	return opts
}

func seconds(value any) time.Duration { return time.Duration(value.(float64) * float64(time.Second)) }

// fromJSON turns {"$bytes": base64} into the base64 string encoding/json reads a []byte from.
func fromJSON(value any) any {
	switch v := value.(type) {
	case map[string]any:
		if b, ok := v["$bytes"].(string); ok && len(v) == 1 {
			return b
		}
		out := map[string]any{}
		for key, item := range v {
			out[key] = fromJSON(item)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = fromJSON(item)
		}
		return out
	}
	return value
}

func toJSON(value reflect.Value) any {
	if !value.IsValid() {
		return nil
	}
	if b, ok := value.Interface().([]byte); ok {
		return map[string]any{"$bytes": b}
	}
	if value.Kind() == reflect.Pointer && value.IsNil() {
		return nil
	}
	data, err := json.Marshal(value.Interface())
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

var kinds = []struct {
	err  error
	name string
}{
	{sdk.ErrBadRequest, "BadRequestError"}, {sdk.ErrAuthentication, "AuthenticationError"},
	{sdk.ErrPermissionDenied, "PermissionDeniedError"}, {sdk.ErrNotFound, "NotFoundError"},
	{sdk.ErrConflict, "ConflictError"}, {sdk.ErrUnprocessableEntity, "UnprocessableEntityError"},
	{sdk.ErrRateLimited, "RateLimitError"}, {sdk.ErrInternalServer, "InternalServerError"},
	{sdk.ErrConnection, "APIConnectionError"}, {sdk.ErrTimeout, "APITimeoutError"},
}

func lowerHeaders(header http.Header) map[string]string {
	headers := map[string]string{}
	for name, values := range header {
		headers[strings.ToLower(name)] = strings.Join(values, ", ")
	}
	return headers
}

func errorOutcome(err error) map[string]any {
	var apiErr *sdk.APIError
	if errors.As(err, &apiErr) {
		kind := "APIError"
		for _, k := range kinds {
			if errors.Is(err, k.err) {
				kind = k.name
				break
			}
		}
		headers := lowerHeaders(apiErr.Header)
		var code, message any
		if apiErr.Code != "" {
			code = apiErr.Code
		}
		if apiErr.Message != "" {
			message = apiErr.Message
		}
		return map[string]any{"error": map[string]any{
			"status": apiErr.StatusCode, "code": code, "message": message,
			"body": string(apiErr.Body), "headers": headers, "type": kind,
		}}
	}
	var validation *sdk.APIResponseValidationError
	if errors.As(err, &validation) { // the other SDKs raise it as an APIError subclass
		return map[string]any{"error": map[string]any{
			"status": validation.StatusCode, "code": validation.Code(), "message": err.Error(),
			"body": string(validation.Body), "headers": lowerHeaders(validation.Header),
			"type": "APIResponseValidationError",
		}}
	}
	name := fmt.Sprintf("%T", err)
	switch {
	case errors.Is(err, sdk.ErrInvalidArgument):
		name = "ValueError"
	case errors.Is(err, context.DeadlineExceeded):
		name = "DeadlineExceeded"
	}
	return map[string]any{"exception": name, "detail": err.Error()}
}

func main() {
	var req request
	if err := json.Unmarshal([]byte(os.Args[1]), &req); err != nil {
		panic(err)
	}
	var logs bytes.Buffer
	var unknown []map[string]any
	opts := []sdk.Option{sdk.WithBaseURL(req.BaseURL)} // "" keeps the default
	if req.LogDebug {
		opts = append(opts, sdk.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if req.CollectUnknown {
		opts = append(opts, sdk.WithOnUnknown(func(e sdk.UnknownEvent) {
			var value any
			_ = json.Unmarshal(e.Value, &value)
			unknown = append(unknown, map[string]any{"kind": e.Kind, "name": e.Name, "path": e.Pointer, "value": value})
		}))
	}
	apiKey := ""
	if req.APIKey != nil {
		apiKey = *req.APIKey
	}
	client := sdk.NewClient(apiKey, append(opts, options(req.ClientOptions)...)...)
	outcome := run(client, req)
	if req.LogDebug {
		lines := []string{}
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			if line != "" {
				lines = append(lines, line)
			}
		}
		outcome["logs"] = lines
	}
	if req.CollectUnknown {
		outcome["unknown"] = unknown
	}
	out, _ := json.Marshal(outcome)
	os.Stdout.Write(out)
}

func run(client *sdk.Client, req request) map[string]any {
	name := req.Method
	if req.Mode == "iterate" {
		name += "Iter"
	}
	method := reflect.ValueOf(client).MethodByName(name)
	if !method.IsValid() {
		return map[string]any{"exception": "AttributeError", "detail": "no method " + name}
	}
	kind := method.Type()
	ctx := context.Background()
	if deadline, ok := req.RequestOptions["context_timeout"]; ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, seconds(deadline))
		defer cancel()
	}
	args := []reflect.Value{reflect.ValueOf(ctx)}
	for i, arg := range req.Args {
		target := reflect.New(kind.In(1 + i))
		if err := json.Unmarshal(arg, target.Interface()); err != nil {
			panic(err)
		}
		args = append(args, target.Elem())
	}
	next := 1 + len(req.Args)
	if next < kind.NumIn()-1 { // a params struct
		params := reflect.New(kind.In(next).Elem())
		data, _ := json.Marshal(fromJSON(req.Params))
		if err := json.Unmarshal(data, params.Interface()); err != nil {
			return map[string]any{"exception": "ValueError", "detail": err.Error()}
		}
		args = append(args, params)
	} else if len(req.Params) > 0 {
		return map[string]any{"exception": "TypeError", "detail": name + " takes no params"}
	}
	callOpts := options(req.RequestOptions)
	for header, value := range req.Headers {
		callOpts = append(callOpts, sdk.WithHeader(header, value))
	}
	var raw sdk.RawResponse
	if req.Mode == "raw" {
		callOpts = append(callOpts, sdk.WithResponseInto(&raw))
	}
	for _, opt := range callOpts {
		args = append(args, reflect.ValueOf(opt))
	}
	results := method.Call(args)
	if req.Mode == "iterate" {
		return iterate(results[0])
	}
	if err, _ := results[len(results)-1].Interface().(error); err != nil {
		return errorOutcome(err)
	}
	var result any
	if len(results) == 2 {
		result = toJSON(results[0])
	}
	if req.Mode == "raw" {
		headers := map[string]string{}
		for name, values := range raw.Header {
			headers[strings.ToLower(name)] = strings.Join(values, ", ")
		}
		return map[string]any{"raw": map[string]any{
			"status": raw.StatusCode, "headers": headers, "body": string(raw.Body), "data": result,
		}}
	}
	outcome := map[string]any{"result": result}
	if req.Inspect != nil && len(results) == 2 {
		outcome["setAside"], outcome["typed"] = inspect(results[0], *req.Inspect)
	}
	return outcome
}

// inspect finds the struct at a JSON pointer of a result (by json tags) and gives the properties
// it kept aside (in ExtraFields under a declared field's name) and those fields' typed values.
func inspect(value reflect.Value, pointer string) (map[string]any, map[string]any) {
	for _, key := range strings.Split(pointer, "/")[1:] {
		value = reflect.Indirect(value)
		for i := 0; i < value.NumField(); i++ {
			if jsonName(value.Type().Field(i)) == key {
				value = value.Field(i)
				break
			}
		}
		if opt := value.MethodByName("Value"); opt.IsValid() { // an Opt[T]: its value
			value = opt.Call(nil)[0]
		}
	}
	value = reflect.Indirect(value)
	extra, _ := value.FieldByName("ExtraFields").Interface().(map[string]json.RawMessage)
	setAside, typed := map[string]any{}, map[string]any{}
	for i := 0; i < value.NumField(); i++ {
		name := jsonName(value.Type().Field(i))
		raw, kept := extra[name]
		if name == "" || !kept {
			continue
		}
		var decoded any
		_ = json.Unmarshal(raw, &decoded)
		setAside[name] = decoded
		field := value.Field(i)
		if isSet := field.MethodByName("IsSet"); isSet.IsValid() && !isSet.Call(nil)[0].Bool() {
			typed[name] = nil
		} else {
			typed[name] = toJSON(field)
		}
	}
	return setAside, typed
}

func jsonName(field reflect.StructField) string {
	name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// iterate runs an iter.Seq2[T, error] to its end.
func iterate(seq reflect.Value) map[string]any {
	items := []any{}
	var failure error
	yield := reflect.MakeFunc(seq.Type().In(0), func(args []reflect.Value) []reflect.Value {
		if err, _ := args[1].Interface().(error); err != nil {
			failure = err
			return []reflect.Value{reflect.ValueOf(false)}
		}
		items = append(items, toJSON(args[0]))
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	if failure != nil {
		return errorOutcome(failure)
	}
	return map[string]any{"items": items}
}
