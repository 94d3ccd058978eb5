import { removeBundle } from './bundle';

export default removeBundle;
