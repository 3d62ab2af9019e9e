/** JMH benchmarks: one class per experiment of the two studies. */
package org.aiobench.benchmarks;
