package replaytest_test

import (
	"fmt"

	"github.com/trackcorr/trackcorr/replay/replaytest"
)

// Golden lines compare word by word, numbers within a relative tolerance.
func ExampleCompare() {
	want := []byte("t=1 sensor=0 id=7 status=confirmed x=[101.234 9.87654] score=12.3456\n")
	close := []byte("t=1 sensor=0 id=7 status=confirmed x=[101.2341 9.87654] score=12.3456\n")
	other := []byte("t=1 sensor=0 id=7 status=coasting x=[101.234 9.87654] score=12.3456\n")
	fmt.Println(replaytest.Compare(want, close, 0) == nil)
	fmt.Println(replaytest.Compare(want, other, 0) != nil)
	// Output:
	// true
	// true
}
