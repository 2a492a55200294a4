// Calls the generated Go runtime's (unexported) encoders for a batch of inputs: copied into a copy
// of the generated package as a _test.go file and run with `go test -run TestEncodeBatch`, with
// ENCODE_BATCH_IN (a JSON array of calls) and ENCODE_BATCH_OUT (where the answers go) set.
// A call is {fn, args}: pathParam [value, name, style, explode], headerValue [value, explode],
// queryPairs or encodeQuery [[[name, value, style, explode(, allowReserved)], ...]] (queryPairs
// answers [name, text, keep] triples), encodeForm [value, rules] (rules [[name, [style, explode,
// contentType, [[header, value], ...](, allowReserved)]], ...]). JSON objects keep their member order. Each answer is {value} or {error: "EncodingError", message}.
package flex

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

func TestEncodeBatch(t *testing.T) {
	input, err := os.ReadFile(os.Getenv("ENCODE_BATCH_IN"))
	if err != nil {
		t.Fatal(err)
	}
	decoder := json.NewDecoder(bytes.NewReader(input))
	decoder.UseNumber()
	tree, err := readTree(decoder)
	if err != nil {
		t.Fatal(err)
	}
	answers := []any{}
	for _, call := range tree.([]any) {
		fn, args := callMember(call, "fn").(string), callMember(call, "args").([]any)
		value, err := encodeCall(fn, args)
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("%s: not an ErrInvalidArgument: %v", fn, err)
			}
			answers = append(answers, map[string]any{"error": "EncodingError", "message": err.Error()})
		} else {
			answers = append(answers, map[string]any{"value": value})
		}
	}
	out, err := json.Marshal(answers)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("ENCODE_BATCH_OUT"), out, 0o644); err != nil {
		t.Fatal(err)
	}
}

func callMember(tree any, key string) any {
	for _, m := range tree.(object) {
		if m.key == key {
			return m.value
		}
	}
	return nil
}

func encodeCall(fn string, args []any) (any, error) {
	switch fn {
	case "pathParam":
		return pathParam(args[1].(string), args[2].(string), args[3].(bool), args[0])
	case "headerValue":
		return headerValue(args[0], args[1].(bool))
	case "queryPairs", "encodeQuery":
		var params []queryParam
		for _, item := range args[0].([]any) {
			p := item.([]any)
			param := queryParam{name: p[0].(string), value: p[1], style: p[2].(string), explode: p[3].(bool)}
			if len(p) > 4 {
				param.allowReserved = p[4].(bool)
			}
			params = append(params, param)
		}
		if fn == "encodeQuery" {
			return encodeQuery(params)
		}
		pairs, err := queryPairsOf(params)
		triples := make([][]any, 0, len(pairs))
		for _, pair := range pairs {
			triples = append(triples, []any{pair.name, pair.text, pair.keep})
		}
		return triples, err
	case "encodeForm":
		rules := map[string]partRule{}
		for _, item := range args[1].([]any) {
			pair := item.([]any)
			rule := pair[1].([]any)
			var headers [][2]string
			for _, h := range rule[3].([]any) {
				headers = append(headers, [2]string{h.([]any)[0].(string), h.([]any)[1].(string)})
			}
			rules[pair[0].(string)] = partRule{style: rule[0].(string), explode: rule[1].(bool), contentType: rule[2].(string), headers: headers, allowReserved: len(rule) > 4 && rule[4].(bool)}
		}
		data, err := encodeForm(args[0], rules)
		return string(data), err
	}
	panic("unknown fn " + fn)
}
