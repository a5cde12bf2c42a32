import { describe, expect, it } from 'vitest';
import { fieldErrorsAfter } from '../../src/ui/Inspector';

describe('Inspector field errors', () => {
  it('keep a rejected field’s error while another field is edited, until it gets a valid value', () => {
    let errors = fieldErrorsAfter({}, 'L', [{ path: ['L'], message: 'too small' }]);
    expect(errors).toEqual({ L: 'too small' });
    errors = fieldErrorsAfter(errors, 'T', []); // another field, valid
    expect(errors).toEqual({ L: 'too small' });
    errors = fieldErrorsAfter(errors, 'T', [{ path: ['T'], message: 'must be positive' }]);
    expect(errors).toEqual({ L: 'too small', T: 'must be positive' });
    errors = fieldErrorsAfter(errors, 'L', []);
    expect(errors).toEqual({ T: 'must be positive' });
  });

  it('puts an error of the whole params (a refinement across fields) under the empty name', () => {
    const errors = fieldErrorsAfter({}, 'b', [{ path: [], message: 'L must be divisible by b' }]);
    expect(errors).toEqual({ b: 'L must be divisible by b' });
    expect(fieldErrorsAfter({}, 'b', [{ path: ['L'], message: 'L must be divisible by b' }])).toEqual({
      '': 'L must be divisible by b',
    });
  });
});
