module github.com/trackcorr/trackcorr

go 1.26

require (
	github.com/stretchr/testify v1.12.1
	github.com/tidwall/rtree v1.10.0
	gonum.org/v1/gonum v0.17.0
	google.golang.org/protobuf v1.36.12
)

require (
	github.com/tidwall/geoindex v1.7.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
