// Run by maven-invoker-plugin after the consumer's build: the program drew an image with the engine's own
// settings, and ND4J's start-up banner (info logs such as "Loaded [CpuBackend] backend") never printed.
def log = new File(basedir, 'build.log').text
def png = new File(basedir, 'target/drawn.png')
assert png.isFile() && png.length() > 0 : "no image at ${png}"
assert log.contains('consumer: drew 4x4 to ') : "the program did not report its image"
def omp = System.getenv('OMP_NUM_THREADS')
def threads = omp ? omp.split(',')[0].trim() : '1'
// oneDNN natives exist for x86_64 only (nd4j-native 1.0.0-M2.1)
def extension = System.getProperty('os.arch') in ['amd64', 'x86_64'] ? '-onednn' : 'null'
assert log.contains("consumer: engine settings: platform extension ${extension}, log level warn, threads ${threads}") :
        "the engine did not apply its settings"
['Loaded [CpuBackend] backend', 'Number of threads used for', 'Blas vendor', 'Backend used:', '[main] INFO'].each {
    assert !log.contains(it) : "ND4J's banner printed (found '${it}')"
}
return true
