// A worker module that fails to load, as a syntax or import error would.
throw new Error('this worker module cannot load');
