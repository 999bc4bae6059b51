package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites golden files instead of comparing with them:
//
//	go test ./lint/ -update
var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with the golden file at path (relative to the
// package directory), or rewrites the file when -update is given. A mismatch
// reports the first line that differs, with the lines around it.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	t.Errorf("output differs from %s (run go test -update to accept it):\n%s", path, firstDifference(want, got))
}

// firstDifference shows where two texts first differ, with two lines of
// context before the difference.
func firstDifference(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	i := 0
	for i < len(wl) && i < len(gl) && wl[i] == gl[i] {
		i++
	}
	var b strings.Builder
	for j := max(0, i-2); j < i; j++ {
		b.WriteString("    " + wl[j] + "\n")
	}
	if i < len(wl) {
		b.WriteString("want " + wl[i] + "\n")
	} else {
		b.WriteString("want <end of file>\n")
	}
	if i < len(gl) {
		b.WriteString("got  " + gl[i] + "\n")
	} else {
		b.WriteString("got  <end of file>\n")
	}
	return b.String()
}
