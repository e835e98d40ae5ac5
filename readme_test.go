package trackcorr_test

// The README's usage example, compiled and run as a test, and a check that the README
// shows exactly this code.

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/trackcorr/trackcorr/kalman"
)

// The README's usage example: everything between the readme markers is shown there.
//
// The first step by hand: the prior x = 0, vx = 10 with P = 25·I predicts to x = 10 with
// P_xx = 25 + 25 + q/3 = 50.033 and P_xv = 25 + q/2 = 25.05; S = 50.033 + 4 = 54.033, so
// x = 10 + (50.033/54.033)·(11 − 10) = 10.93 and vx = 10 + (25.05/54.033)·1 = 10.46.
func Example_readme() {
	// readme:begin
	// A 2-D nearly-constant-velocity model, state [x, vx, y, vy], q = 0.1 m²/s³.
	cv := kalman.NewCV(2, 0.1)
	kf, err := kalman.NewKF(cv, kalman.Config{})
	if err != nil {
		panic(err)
	}
	radar := kalman.NewPosition(cv.Dim(), []int{0, 2}, nil) // measures x and y
	R := []float64{4, 0, 0, 4}                              // 2 m standard deviation

	s, err := kalman.NewState([]float64{0, 10, 0, 0}, []float64{
		25, 0, 0, 0,
		0, 25, 0, 0,
		0, 0, 25, 0,
		0, 0, 0, 25,
	})
	if err != nil {
		panic(err)
	}
	for _, z := range [][]float64{{11, 1}, {19, -1}, {31, 0.5}} {
		if err := kf.Predict(&s, 1); err != nil { // one second later
			panic(err)
		}
		inn, err := kf.Update(&s, radar, z, R)
		if err != nil { // NaN, non-positive-definite R: a typed error, state unchanged
			panic(err)
		}
		fmt.Printf("x=%5.1f m  vx=%4.1f m/s  NIS=%.2f\n", s.MeanAt(0), s.MeanAt(1), inn.D2)
	}
	// readme:end

	// Output:
	// x= 10.9 m  vx=10.5 m/s  NIS=0.04
	// x= 19.4 m  vx= 9.0 m/s  NIS=0.46
	// x= 30.4 m  vx=10.0 m/s  NIS=0.70
}

// TestReadmeShowsExample fails when the README's Go block and Example_readme differ.
func TestReadmeShowsExample(t *testing.T) {
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)// readme:begin\n(.*?)\t// readme:end`).FindSubmatch(src)
	if body == nil {
		t.Fatal("readme markers not found in readme_test.go")
	}
	var want strings.Builder
	for _, line := range strings.Split(strings.TrimRight(string(body[1]), "\n"), "\n") {
		want.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}
	block := regexp.MustCompile("(?s)<!-- readme-example -->\n```go\n(.*?)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README.md has no Go block after <!-- readme-example -->")
	}
	if got := strings.TrimSpace(string(block[1])); got != strings.TrimSpace(want.String()) {
		t.Errorf("README example differs from Example_readme in readme_test.go:\nREADME:\n%s\nExample:\n%s", got, want.String())
	}
}
