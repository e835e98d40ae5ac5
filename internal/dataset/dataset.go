package dataset

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar is the environment variable that names the data directory.
const EnvVar = "TRACKCORR_DATA"

// Dir returns the shared data directory and whether it exists. It looks at $TRACKCORR_DATA
// first, then for ../shared/data beside the repository root found by walking up from the
// working directory to the directory holding go.mod.
func Dir() (string, bool) {
	if d := os.Getenv(EnvVar); d != "" {
		return d, isDir(d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			p := filepath.Join(filepath.Dir(d), "shared", "data")
			return p, isDir(p)
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

// Path returns the path of a file under the data directory, or skips the test (or
// benchmark) with a message saying how to provide the data when it is absent.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	dir, ok := Dir()
	if !ok {
		tb.Skipf("shared data not found (set %s to the data directory, e.g. ../shared/data)", EnvVar)
	}
	p := filepath.Join(append([]string{dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data file %s not found: %v", p, err)
	}
	return p
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
