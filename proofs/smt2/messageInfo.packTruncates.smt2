; obligation: messageInfo.packTruncates
; statement: seL4_MessageInfo_new keeps only the low bits of an out-of-range argument: label mod 2^52, length mod 2^7
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.packTruncates
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capsUnwrapped () (_ BitVec 64))
(declare-fun length () (_ BitVec 64))
(declare-fun extraCaps () (_ BitVec 64))
(declare-fun label () (_ BitVec 64))
(assert
 (let ((?x0 (bvand capsUnwrapped (_ bv7 64))))
 (let ((?x1 (bvor (bvand (bvor (_ bv0 64) (bvshl (bvand label (_ bv4503599627370495 64)) (_ bv12 64))) (_ bv18446744073709548031 64)) (bvshl ?x0 (_ bv9 64)))))
 (let ((?x2 (bvand (bvor (bvand ?x1 (_ bv18446744073709551231 64)) (bvshl (bvand extraCaps (_ bv3 64)) (_ bv7 64))) (_ bv18446744073709551488 64))))
 (let ((?x3 (bvor ?x2 (bvshl (bvand length (_ bv127 64)) (_ bv0 64)))))
 (let (($x4 (and (= (bvand (bvlshr ?x3 (_ bv12 64)) (_ bv4503599627370495 64)) (bvand label (_ bv4503599627370495 64))) (= (bvand (bvlshr ?x3 (_ bv0 64)) (_ bv127 64)) (bvand length (_ bv127 64))))))
 (let (($x5 (and $x4 (= (bvand (bvlshr ?x3 (_ bv7 64)) (_ bv3 64)) (bvand extraCaps (_ bv3 64))))))
 (let (($x6 (and $x5 (= (bvand (bvlshr ?x3 (_ bv9 64)) (_ bv7 64)) ?x0))))
 (not $x6)))))))))
(check-sat)
