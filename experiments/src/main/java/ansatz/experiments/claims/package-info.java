/**
 * One class per claim of DEFINITIONS.md (NFA of MLPs, linear and convolutional networks, alignment,
 * the alignment-boosting rule, catapults, neural collapse, RFM and lin-RFM), each with its options,
 * its thresholds fixed before the run, and its charts.
 */
package ansatz.experiments.claims;
