package dataset

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDirFromEnv(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv(EnvVar, tmp)
	dir, ok := Dir()
	assert.Equal(t, tmp, dir)
	assert.True(t, ok)

	t.Setenv(EnvVar, filepath.Join(tmp, "missing"))
	_, ok = Dir()
	assert.False(t, ok)
}

func TestDirBesideRepository(t *testing.T) {
	t.Setenv(EnvVar, "")
	dir, _ := Dir()
	assert.Equal(t, filepath.Join("shared", "data"), filepath.Join(filepath.Base(filepath.Dir(dir)), filepath.Base(dir)))
}
