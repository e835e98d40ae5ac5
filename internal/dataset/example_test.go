package dataset_test

import (
	"fmt"
	"path/filepath"

	"github.com/trackcorr/trackcorr/internal/dataset"
)

// Find the shared scenario files, whether or not they are on this machine.
func ExampleDir() {
	dir, ok := dataset.Dir()
	if !ok {
		fmt.Println("no shared data: set", dataset.EnvVar)
		return
	}
	fmt.Println(filepath.Join(dir, "scenarios", "n100-seed7_detections.jsonl"))
}
