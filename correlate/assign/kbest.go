package assign

type kbest struct{}
