package forkjoin_test

import (
	"fmt"

	"github.com/trackcorr/trackcorr/internal/forkjoin"
)

// Summing a slice in shards: the caller publishes the input, every worker sums its
// shard, the caller adds the shards' sums in order.
func Example() {
	data := make([]int, 1000)
	for i := range data {
		data[i] = i
	}
	const workers = 3
	sums := make([]int, workers)
	g := forkjoin.New(workers, func(k int) {
		lo, hi := k*len(data)/workers, (k+1)*len(data)/workers
		s := 0
		for _, v := range data[lo:hi] {
			s += v
		}
		sums[k] = s
	})
	defer g.Close()
	g.Do()
	total := 0
	for _, s := range sums {
		total += s
	}
	fmt.Println(total)
	// Output: 499500
}
