package lint

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseJSON(t *testing.T) {
	tests := []struct {
		in  string
		err string
		off int
	}{
		{`{"a": [1, -2.5e+3, true, false, null, "x\n\u00e9\ud83d\ude00"]}`, "", 0},
		{` 0 `, "", 0},
		{`""`, "", 0},
		{`{"a": 01}`, "invalid number: unexpected '1'", 7},
		{`{"a": 1.}`, "invalid number: expected a digit after '.', found '}'", 8},
		{`{"a": -}`, "invalid number: expected a digit, found '}'", 7},
		{`{"a": 1e}`, "invalid number: expected a digit in the exponent, found '}'", 8},
		{`{"a": tru}`, `invalid literal, expected "true"`, 6},
		{`{"a": nulls}`, `invalid literal, expected "null"`, 6},
		{`{"a" 1}`, "expected ':' after object key, found '1'", 5},
		{`{a: 1}`, "expected a string key, found 'a'", 1},
		{`{"a": 1,}`, "expected a string key, found '}'", 8},
		{`[1 2]`, "expected ',' or ']' in an array, found '2'", 3},
		{`[1,]`, "expected a JSON value, found ']'", 3},
		{"\"a\tb\"", "invalid control character byte 0x9 in a string (escape it)", 2},
		{`"\x"`, `invalid escape in a string: 'x' after a backslash`, 1},
		{`"\u12g4"`, `invalid \u escape: 'g' is not a hex digit`, 5},
		{`{"a": 1} x`, "unexpected 'x' after the JSON value", 9},
		{`{"a": [1, {"b": ]}]}`, "expected a JSON value, found ']'", 16},
		{`{"a": "x`, "unexpected end of input in a string", 8},
		{`[`, "expected a JSON value, found the end of the input", 1},
		{``, "expected a JSON value, found the end of the input", 0},
	}
	for _, depth := range []int{0, 1, 8} {
		for _, tt := range tests {
			d, err := parseJSON([]byte(tt.in), Pos{Line: 1, Column: 1}, depth)
			if tt.err == "" {
				if err != nil || d.Root.End-d.Root.Start != len(strings.TrimSpace(tt.in)) {
					t.Errorf("depth %d: parse(%q): %v", depth, tt.in, err)
				}
				continue
			}
			var se *jsonSyntaxError
			if !errors.As(err, &se) || se.Msg != tt.err || se.Offset != tt.off {
				t.Errorf("depth %d: parse(%q) = %v, want %q at %d", depth, tt.in, err, tt.err, tt.off)
			}
		}
	}
}

func TestParseJSONTree(t *testing.T) {
	in := "{\n  \"a\": {\"b\": [1, \"two\"]},\n  \"k\\u00e9y\": \"v\\\"al\",\n  \"deep\": {\"x\": {\"y\": {\"z\": 1}}}\n}"
	d, err := parseJSON([]byte(in), Pos{Offset: 3, Line: 1, Column: 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	a := d.Root.get("a")
	if a == nil || a.Kind != jsonObject || len(a.get("b").Items) != 2 || d.str(a.get("b").Items[1]) != "two" {
		t.Fatalf("tree: %+v", a)
	}
	if v := d.Root.get("kéy"); v == nil || d.str(v) != `v"al` || string(d.raw(v)) != `"v\"al"` {
		t.Fatalf("escaped key or value: %+v", v)
	}
	// Below the tree depth, containers have spans but no nodes.
	if x := d.Root.get("deep").get("x").get("y"); x == nil || x.Members != nil || string(d.raw(x)) != `{"z": 1}` {
		t.Fatalf("deep: %+v", x)
	}
	m := d.Root.member("deep")
	if got, want := d.pos(m.KeyStart), (Pos{Offset: 3 + strings.Index(in, `"deep"`), Line: 4, Column: 3}); got != want {
		t.Errorf("pos(deep) = %+v, want %+v", got, want)
	}
	// Positions asked in any order agree with Advance.
	for _, off := range []int{len(in), 0, 5, 4, 40, 12, len(in) - 1} {
		if got, want := d.pos(off), (Pos{Offset: 3, Line: 1, Column: 1}).Advance([]byte(in[:off])); got != want {
			t.Errorf("pos(%d) = %+v, want %+v", off, got, want)
		}
	}
}

func TestParseJSONDepth(t *testing.T) {
	deep := strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1)
	for _, depth := range []int{0, 100, maxJSONDepth + 5} {
		_, err := parseJSON([]byte(deep), Pos{Line: 1, Column: 1}, depth)
		if err == nil || !strings.Contains(err.Error(), "nested more than") {
			t.Errorf("tree depth %d: %v", depth, err)
		}
	}
	ok := strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth)
	if _, err := parseJSON([]byte(ok), Pos{Line: 1, Column: 1}, 2); err != nil {
		t.Errorf("depth %d: %v", maxJSONDepth, err)
	}
}

// FuzzParseJSON checks the parser against encoding/json: the same inputs
// are valid, and strings decode the same.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5e3, "x\u00e9\ud83d"]}`, `[]`, `"\ud800\udc00"`, `{"a":{"b":{"c":[[[1]]]}}}`, "-0.0e-0", `"\/"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseJSON(data, Pos{Line: 1, Column: 1}, 2)
		valid := json.Valid(data)
		if (err == nil) != valid {
			t.Fatalf("parse error %v, encoding/json valid %v", err, valid)
		}
		if err != nil {
			var se *jsonSyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(data) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if d.Root.Kind == jsonString && utf8.Valid(data) {
			var want string
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if got := d.str(d.Root); got != want {
				t.Fatalf("decoded %q, encoding/json %q", got, want)
			}
		}
	})
}
